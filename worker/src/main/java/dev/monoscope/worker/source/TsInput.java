package dev.monoscope.worker.source;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An MPEG-TS input the worker reads itself (so that a transport analyser sees every byte) and hands to FFmpeg through
 * a custom I/O context: a local TS file, UDP/RTP, or progressive HTTP(S). Other inputs (HLS, RTMP, SRT, RTSP, MP4 and
 * other non-TS content…) stay with FFmpeg's own I/O: {@link #open} returns null for them (an HLS stream's TS segments
 * reach the analyser through FFmpeg's I/O hooks instead, see the decoder).
 */
public abstract class TsInput implements AutoCloseable {

    /**
     * Reads what has arrived, up to {@code len} bytes, waiting at most {@code waitMillis} for something.
     *
     * @return the number of bytes read, 0 when nothing came in time, -1 at the end of the input
     */
    public abstract int read(byte[] b, int off, int len, int waitMillis) throws IOException;

    /** Whether {@link #seek} works (a file). */
    public boolean seekable() {
        return false;
    }

    /** Moves to a byte offset; returns it, or -1 when the input cannot seek. */
    public long seek(long offset) throws IOException {
        return -1;
    }

    /** The input's size in bytes, or -1 when unknown. */
    public long size() {
        return -1;
    }

    @Override
    public abstract void close();

    /**
     * Opens the input itself when it is MPEG-TS that the worker can read: a file or an HTTP(S) response (not an HLS
     * playlist) whose first bytes are 188-byte TS packets, or a {@code udp://} / {@code rtp://} address. Returns null
     * otherwise (FFmpeg opens it as before).
     */
    public static TsInput open(SourceUrl source, double timeoutSeconds) throws IOException {
        switch (source.scheme()) {
            case "file" -> {
                Path path = Path.of(source.toString());
                return Files.isRegularFile(path) && looksLikeTs(path) ? new FileTsInput(path) : null;
            }
            case "udp", "rtp" -> {
                return UdpTsInput.open(source.ffmpegUrl(), source.scheme().equals("rtp"));
            }
            case "http", "https" -> {
                return source.looksLikeHls()
                        ? null
                        : HttpTsInput.open(source.ffmpegUrl(), source.tls(), timeoutSeconds);
            }
            default -> {
                return null;
            }
        }
    }

    /** Sync bytes at 0, 188 and 376 (or a shorter file of whole packets). */
    static boolean looksLikeTs(Path path) throws IOException {
        byte[] head = new byte[3 * 188];
        int n;
        try (InputStream in = Files.newInputStream(path)) {
            n = in.readNBytes(head, 0, head.length);
        }
        return startsWithPackets(head, n);
    }

    /** Whether the first {@code n} bytes are whole 188-byte TS packets (sync byte 0x47 at each start), at least one. */
    static boolean startsWithPackets(byte[] head, int n) {
        if (n < 188) {
            return false;
        }
        for (int i = 0; i + 188 <= n; i += 188) {
            if (head[i] != 0x47) {
                return false;
            }
        }
        return true;
    }
}
