package dev.monoscope.worker.decode;

/**
 * How many addresses FFmpeg may open for one input: a burst of {@value #BURST}, then {@value #PER_SECOND} a second
 * (a token bucket). A live HLS stream opens a few playlists and segments a second, a VOD analysed faster than real
 * time some tens; a master playlist that names itself (or a ring of them) makes FFmpeg's HLS demuxer open playlists
 * without end, each one also kept in memory, for as long as the open lasts. Past the budget an open is refused,
 * which ends such a loop.
 */
final class OpenBudget {

    static final int BURST = 256;
    static final double PER_SECOND = 50;

    private double tokens = BURST;
    private long lastNanos = System.nanoTime();

    /** Takes one open from the budget; false when it is spent. */
    synchronized boolean take() {
        long now = System.nanoTime();
        tokens = Math.min(BURST, tokens + (now - lastNanos) / 1e9 * PER_SECOND);
        lastNanos = now;
        if (tokens < 1) {
            return false;
        }
        tokens--;
        return true;
    }
}
