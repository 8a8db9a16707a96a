package dev.monoscope.worker.decode;

/**
 * Where FFmpeg reads one input (or one HLS segment) and how far the analyser has seen it. The analyser needs every
 * byte once and in order, while FFmpeg may seek (to a file's end for its duration, back after probing): bytes read
 * again, or read past a gap, are not new until reading reaches where analysis stopped.
 */
public final class ReadPosition {

    private long position;
    private long analysedTo;

    /** @param start the byte offset FFmpeg reads from first */
    public ReadPosition(long start) {
        position = start;
        analysedTo = start;
    }

    /** FFmpeg read {@code n} bytes here: how many of them, at their end, the analyser has not seen (0 if none). */
    public int read(int n) {
        long end = position + n;
        int fresh = 0;
        if (position <= analysedTo && end > analysedTo) {
            fresh = (int) (end - analysedTo);
            analysedTo = end;
        }
        position = end;
        return fresh;
    }

    /** FFmpeg moved to {@code offset}. */
    public void seek(long offset) {
        position = offset;
    }

    public long position() {
        return position;
    }
}
