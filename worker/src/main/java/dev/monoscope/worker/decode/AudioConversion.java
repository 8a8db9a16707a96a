package dev.monoscope.worker.decode;

import static org.bytedeco.ffmpeg.global.avutil.AV_CHANNEL_ORDER_NATIVE;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_DBL;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLT;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_S16;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_S32;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_U8;
import static org.bytedeco.ffmpeg.global.avutil.av_get_packed_sample_fmt;
import static org.bytedeco.ffmpeg.global.avutil.av_sample_fmt_is_planar;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;

/** A decoded audio frame, in whatever sample format the decoder gives, as float samples per channel. */
final class AudioConversion {

    private AudioConversion() {}

    /** Fills {@code b} from {@code frame}; false when the frame has no samples or a sample format not converted. */
    static boolean fill(AudioBlock b, AVFrame frame, int trackNumber, double pts) {
        int channels = frame.ch_layout().nb_channels();
        int n = frame.nb_samples();
        if (channels <= 0 || n <= 0) {
            return false;
        }
        b.track = trackNumber;
        b.channels = channels;
        b.samples = n;
        b.sampleRate = frame.sample_rate();
        b.layoutMask = frame.ch_layout().order() == AV_CHANNEL_ORDER_NATIVE
                ? frame.ch_layout().u_mask()
                : 0;
        b.pts = pts;
        b.ensure(channels, n);
        int format = frame.format();
        boolean planar = av_sample_fmt_is_planar(format) != 0;
        int packed = av_get_packed_sample_fmt(format);
        int bytes = switch (packed) {
            case AV_SAMPLE_FMT_U8 -> 1;
            case AV_SAMPLE_FMT_S16 -> 2;
            case AV_SAMPLE_FMT_S32, AV_SAMPLE_FMT_FLT -> 4;
            case AV_SAMPLE_FMT_DBL -> 8;
            default -> 0;
        };
        if (bytes == 0) {
            return false;
        }
        for (int ch = 0; ch < channels; ch++) {
            BytePointer data = planar ? frame.extended_data(ch) : frame.extended_data(0);
            long len = planar ? (long) n * bytes : (long) n * bytes * channels;
            ByteBuffer buf = data.capacity(len).asByteBuffer().order(ByteOrder.nativeOrder());
            float[] out = b.channel[ch];
            int step = planar ? bytes : bytes * channels;
            int off = planar ? 0 : ch * bytes;
            for (int i = 0; i < n; i++, off += step) {
                float v = switch (packed) {
                    case AV_SAMPLE_FMT_U8 -> ((buf.get(off) & 0xff) - 128) / 128f;
                    case AV_SAMPLE_FMT_S16 -> buf.getShort(off) / 32768f;
                    case AV_SAMPLE_FMT_S32 -> buf.getInt(off) / 2147483648f;
                    case AV_SAMPLE_FMT_FLT -> buf.getFloat(off);
                    default -> (float) buf.getDouble(off);
                };
                out[i] = v;
            }
        }
        return true;
    }
}
