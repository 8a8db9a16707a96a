package dev.monoscope.worker.source;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A network input read by its own thread into a bounded queue of byte chunks, so that the network is drained while
 * the decoder is busy; {@link #read} hands the chunks out. The reader thread {@link #offer}s or {@link #put}s chunks
 * and {@link #end}s the input.
 */
abstract class QueuedTsInput extends TsInput {

    private static final byte[] END = new byte[0];

    private final BlockingQueue<byte[]> queue;
    private final Thread reader;
    protected volatile boolean closed;
    private byte[] current;
    private int currentOff;
    private boolean ended;

    protected QueuedTsInput(int capacity, String threadName) {
        queue = new ArrayBlockingQueue<>(capacity);
        reader = new Thread(this::receive, threadName);
        reader.setDaemon(true);
    }

    /** Starts the reader thread: call once the subclass is ready. */
    protected final void start() {
        reader.start();
    }

    /** The reader thread's loop: receive until closed or the end of the input. */
    protected abstract void receive();

    /** Queues a chunk, dropping it when the queue is full (a live source that cannot wait). */
    protected final void offer(byte[] chunk) {
        queue.offer(chunk);
    }

    /** Queues a chunk, waiting for room (a source that TCP can slow down). */
    protected final void put(byte[] chunk) throws InterruptedException {
        queue.put(chunk);
    }

    /** The input ended (after what is queued). */
    protected final void end() throws InterruptedException {
        queue.put(END);
    }

    @Override
    public int read(byte[] b, int off, int len, int waitMillis) {
        if (ended) {
            return -1;
        }
        if (current == null) {
            try {
                current = queue.poll(waitMillis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 0;
            }
            currentOff = 0;
            if (current == null) {
                return closed ? -1 : 0;
            }
            if (current == END) {
                ended = true;
                return -1;
            }
        }
        int n = Math.min(len, current.length - currentOff);
        System.arraycopy(current, currentOff, b, off, n);
        currentOff += n;
        if (currentOff == current.length) {
            current = null;
        }
        return n;
    }

    /** Unblocks the reader thread: closes its socket or stream. */
    protected abstract void release();

    @Override
    public final void close() {
        closed = true;
        release();
        reader.interrupt();
        try {
            reader.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
