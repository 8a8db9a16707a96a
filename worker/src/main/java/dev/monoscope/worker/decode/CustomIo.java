package dev.monoscope.worker.decode;

import static org.bytedeco.ffmpeg.global.avformat.AVSEEK_SIZE;
import static org.bytedeco.ffmpeg.global.avformat.avio_alloc_context;
import static org.bytedeco.ffmpeg.global.avformat.avio_context_free;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EXIT;
import static org.bytedeco.ffmpeg.global.avutil.av_free;
import static org.bytedeco.ffmpeg.global.avutil.av_malloc;

import dev.monoscope.worker.source.ErrorCategory;
import dev.monoscope.worker.source.SourceFetchException;
import dev.monoscope.worker.source.SourceUrl;
import dev.monoscope.worker.source.TsInput;
import dev.monoscope.worker.transport.TsAnalyzer;
import java.io.IOException;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;

/**
 * An MPEG-TS input the worker reads itself (a TS file, UDP, RTP), handed to FFmpeg through a custom I/O context:
 * every byte goes to the transport analyser too, once and in order.
 */
final class CustomIo {

    /** The custom I/O context's buffer: FFmpeg asks for up to this much per read. */
    private static final int IO_BUFFER = 64 * 1024;

    private final TsInput input;
    private final TsAnalyzer transport;
    private final InputWatch watch;
    private final AVIOContext avio;
    private final byte[] ioBytes = new byte[IO_BUFFER];
    /** Where the next read starts, and how far the analyser has seen (FFmpeg may seek a file's end and back). */
    private final ReadPosition readPos = new ReadPosition(0);
    /**
     * When the custom input last gave bytes: its timeout counts from there, not from the last demuxed packet (FFmpeg
     * still hands out buffered packets after the input went quiet, and reads again after an end).
     */
    private long lastInputNanos;

    private CustomIo(TsInput input, TsAnalyzer transport, InputWatch watch, Pointer opaque) {
        this.input = input;
        this.transport = transport;
        this.watch = watch;
        transport.reset();
        lastInputNanos = System.nanoTime();
        BytePointer buffer = new BytePointer(av_malloc(IO_BUFFER)).capacity(IO_BUFFER);
        avio = avio_alloc_context(
                buffer, IO_BUFFER, 0, opaque, IoCallbacks.READ, null, input.seekable() ? IoCallbacks.SEEK : null);
        avio.seekable(input.seekable() ? 1 : 0);
    }

    /**
     * Opens the input in Java when it is TS the worker can read, and gives {@code fmt} a custom I/O context reading
     * it; null when FFmpeg should open the URL itself.
     */
    static CustomIo open(SourceUrl source, TsAnalyzer transport, InputWatch watch, AVFormatContext fmt, Pointer opaque)
            throws InputException {
        TsInput input;
        try {
            input = TsInput.open(source, watch.timeoutNanos / 1e9);
        } catch (IOException | RuntimeException e) {
            throw e instanceof SourceFetchException f
                    ? InputException.of(f, "cannot open " + source)
                    : new InputException(ErrorCategory.of(e), "cannot open " + source + ": " + e.getMessage());
        }
        if (input == null) {
            return null;
        }
        CustomIo io = new CustomIo(input, transport, watch, opaque);
        fmt.pb(io.avio);
        fmt.flags(fmt.flags() | AVFormatContext.AVFMT_FLAG_CUSTOM_IO);
        return io;
    }

    /** FFmpeg wants bytes: waits for them (polling the stop request and the timeout), tees them to the analyser. */
    int read(BytePointer buf, int size) {
        while (true) {
            if (watch.interrupted) {
                return AVERROR_EXIT();
            }
            int n;
            try {
                n = input.read(ioBytes, 0, Math.min(size, ioBytes.length), 50);
            } catch (IOException e) {
                return AVERROR_EOF();
            }
            if (n < 0) {
                return AVERROR_EOF();
            }
            if (n > 0) {
                watch.lastDataNanos = System.nanoTime();
                lastInputNanos = watch.lastDataNanos;
                int fresh = readPos.read(n);
                if (fresh > 0) {
                    transport.feed(ioBytes, n - fresh, fresh);
                }
                buf.position(0).put(ioBytes, 0, n);
                return n;
            }
            if (System.nanoTime() - lastInputNanos > watch.silenceLimitNanos()) {
                watch.timedOut = true;
                return AVERROR_EOF(); // next() reports the timeout
            }
        }
    }

    long seek(long offset, int whence) {
        try {
            if ((whence & AVSEEK_SIZE) != 0) {
                return input.size();
            }
            long target = switch (whence & 0xFFFF) {
                case 0 -> offset; // SEEK_SET
                case 1 -> readPos.position() + offset; // SEEK_CUR
                case 2 -> input.size() + offset; // SEEK_END
                default -> -1;
            };
            if (target < 0 || input.seek(target) < 0) {
                return -1;
            }
            readPos.seek(target);
            return target;
        } catch (IOException e) {
            return -1;
        }
    }

    void close() {
        av_free(avio.buffer());
        avio.buffer(null);
        avio_context_free(avio);
        input.close();
    }
}
