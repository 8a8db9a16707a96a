package dev.monoscope.worker.decode;

import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EXIT;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bytedeco.ffmpeg.avformat.AVIOInterruptCB;
import org.bytedeco.ffmpeg.avformat.Read_packet_Pointer_BytePointer_int;
import org.bytedeco.ffmpeg.avformat.Seek_Pointer_long_int;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;

/**
 * FFmpeg's interrupt, read and seek callbacks: one static instance each for all inputs, which finds its input
 * through the opaque pointer FFmpeg passes back; and the lookup of an input's HLS segment tap by that pointer.
 */
final class IoCallbacks {

    /** Maps the callbacks' opaque pointer back to its input. */
    private static final Map<Long, InputContext> BY_OPAQUE = new ConcurrentHashMap<>();

    static final InterruptCallback INTERRUPT = new InterruptCallback();
    static final ReadCallback READ = new ReadCallback();
    static final SeekCallback SEEK = new SeekCallback();

    private IoCallbacks() {}

    static void register(Pointer opaque, InputContext input) {
        BY_OPAQUE.put(opaque.address(), input);
    }

    static void unregister(Pointer opaque) {
        BY_OPAQUE.remove(opaque.address());
    }

    /** The HLS segment tap of the input whose format context has this opaque, or null. */
    static HlsSegmentTap segmentTapOf(long opaqueAddress) {
        InputContext d = BY_OPAQUE.get(opaqueAddress);
        return d == null ? null : d.segmentTap();
    }

    /** FFmpeg calls this during blocking I/O: returning 1 aborts the read (stop asked, or no data for too long). */
    static final class InterruptCallback extends AVIOInterruptCB.Callback_Pointer {
        @Override
        public int call(Pointer opaque) {
            InputContext d = opaque == null ? null : BY_OPAQUE.get(opaque.address());
            return d != null && d.watch().shouldAbort() ? 1 : 0;
        }
    }

    /** FFmpeg reads a custom I/O input through this. */
    static final class ReadCallback extends Read_packet_Pointer_BytePointer_int {
        @Override
        public int call(Pointer opaque, BytePointer buf, int size) {
            InputContext d = opaque == null ? null : BY_OPAQUE.get(opaque.address());
            CustomIo io = d == null ? null : d.customIo();
            if (io == null) {
                return AVERROR_EXIT();
            }
            try {
                return io.read(buf, size);
            } catch (RuntimeException e) {
                return AVERROR_EXIT();
            }
        }
    }

    static final class SeekCallback extends Seek_Pointer_long_int {
        @Override
        public long call(Pointer opaque, long offset, int whence) {
            InputContext d = opaque == null ? null : BY_OPAQUE.get(opaque.address());
            CustomIo io = d == null ? null : d.customIo();
            return io == null ? -1 : io.seek(offset, whence);
        }
    }
}
