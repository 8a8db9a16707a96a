package dev.monoscope.worker.monitor;

/** Whether monitoring was asked to stop (from any thread), and waits that such a request cuts short. */
final class StopSignal {

    private volatile boolean requested;
    private final Object lock = new Object();

    boolean requested() {
        return requested;
    }

    void request() {
        requested = true;
    }

    /** Wakes a {@link #pause} in progress. */
    void wake() {
        synchronized (lock) {
            lock.notifyAll();
        }
    }

    /** Waits {@code millis}, or less when a stop is requested; an interrupt requests one. */
    void pause(long millis) {
        long until = System.currentTimeMillis() + millis;
        synchronized (lock) {
            while (!requested) {
                long left = until - System.currentTimeMillis();
                if (left <= 0) {
                    break;
                }
                try {
                    lock.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    requested = true;
                }
            }
        }
    }
}
