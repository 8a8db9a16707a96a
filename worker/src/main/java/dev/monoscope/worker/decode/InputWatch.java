package dev.monoscope.worker.decode;

/**
 * Whether reading one input should stop: a stop was asked for, or no data came for the timeout. Shared by the
 * decoder, FFmpeg's interrupt callback and the worker's own reading of the input, on whichever thread they run.
 */
final class InputWatch {

    private static final long OPEN_LIMIT_NANOS = 30_000_000_000L;

    final long timeoutNanos;
    volatile boolean interrupted;
    /** The interrupt callback cut a read short for lack of data: some demuxers (HLS) report that as the end. */
    volatile boolean timedOut;

    volatile long lastDataNanos = System.nanoTime();
    /** While opening, FFmpeg probes for seconds without handing out packets: only this overall limit applies. */
    volatile boolean opening = true;

    InputWatch(double timeoutSeconds) {
        this.timeoutNanos = (long) (timeoutSeconds * 1e9);
    }

    boolean shouldAbort() {
        if (interrupted || timedOut) { // once silent for the timeout, every later read fails too: the signal is lost
            return true;
        }
        if (System.nanoTime() - lastDataNanos > silenceLimitNanos()) {
            timedOut = true;
            return true;
        }
        return false;
    }

    /** How long the input may stay silent: the timeout, and while opening at least {@value #OPEN_LIMIT_NANOS} ns. */
    long silenceLimitNanos() {
        return opening ? Math.max(timeoutNanos, OPEN_LIMIT_NANOS) : timeoutNanos;
    }

    /** No data for now (EAGAIN): a short wait before reading again. */
    void pauseBeforeRetry() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
