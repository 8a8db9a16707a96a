package dev.monoscope.worker.report;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The report server's threads: a fixed number, and a deadline for a request's headers. The JDK's server reads a
 * request's line and headers on the thread it is given, blocking, with no deadline of its own: a client sending them
 * a byte a second (slowloris) would hold that thread for ever. A watchdog interrupts a thread still reading headers
 * past the deadline; the interrupt closes the connection's channel, and the thread is free again. Connections that
 * send nothing hold no thread (the server's selector waits for their first byte).
 */
final class BoundedRequestPool implements Executor, AutoCloseable {

    private final ExecutorService threads;
    private final ScheduledExecutorService watchdog;
    private final long headerDeadlineNanos;
    /** Threads reading a request's headers, and since when. */
    private final Map<Thread, Long> readingSince = new ConcurrentHashMap<>();

    BoundedRequestPool(int size, long headerDeadlineMillis) {
        AtomicInteger n = new AtomicInteger();
        this.threads = Executors.newFixedThreadPool(size, r -> daemon(r, "report-http-" + n.incrementAndGet()));
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "report-http-deadline"));
        this.headerDeadlineNanos = TimeUnit.MILLISECONDS.toNanos(headerDeadlineMillis);
        long period = Math.max(50, headerDeadlineMillis / 4);
        watchdog.scheduleAtFixedRate(this::interruptLateReaders, period, period, TimeUnit.MILLISECONDS);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public void execute(Runnable exchange) {
        threads.execute(() -> {
            Thread self = Thread.currentThread();
            readingSince.put(self, System.nanoTime());
            try {
                exchange.run();
            } finally {
                readingSince.remove(self);
                Thread.interrupted(); // an interrupt meant for this exchange must not reach the next
            }
        });
    }

    /**
     * Called by a handler first: the headers are in. False when the deadline passed meanwhile (the watchdog has
     * interrupted the thread and the connection is closed): the handler answers nothing.
     */
    boolean headersRead() {
        return readingSince.remove(Thread.currentThread()) != null;
    }

    private void interruptLateReaders() {
        long now = System.nanoTime();
        readingSince.forEach((thread, since) -> {
            if (now - since > headerDeadlineNanos && readingSince.remove(thread, since)) {
                thread.interrupt();
            }
        });
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
        threads.shutdownNow();
        try {
            threads.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
