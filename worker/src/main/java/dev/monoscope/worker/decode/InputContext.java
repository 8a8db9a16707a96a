package dev.monoscope.worker.decode;

import static dev.monoscope.worker.decode.AvError.error;
import static org.bytedeco.ffmpeg.global.avformat.av_find_input_format;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;

import dev.monoscope.worker.source.ErrorCategory;
import dev.monoscope.worker.source.Origin;
import dev.monoscope.worker.source.SourceUrl;
import dev.monoscope.worker.transport.TsAnalyzer;
import java.util.Map;
import java.util.Set;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOInterruptCB;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.javacpp.IntPointer;

/**
 * One opened input: FFmpeg's format context, read through FFmpeg's own I/O or the worker's ({@link CustomIo}), with
 * the HLS segment tap where the transport is analysed, and the callbacks FFmpeg finds it by ({@link IoCallbacks}).
 */
final class InputContext implements AutoCloseable {

    /** Inputs FFmpeg opens itself whose HLS segments the analyser sees ({@link HlsSegmentTap}). */
    private static final Set<String> TAPPED_SCHEMES = Set.of("http", "https", "file");

    private final SourceUrl source;
    /** The transport analyser that sees every byte of the input, or null. */
    private final TsAnalyzer transport;

    private final InputWatch watch;
    private final IntPointer opaque = new IntPointer(1);
    private AVFormatContext fmt;
    /** The HLS segment tap installed on {@link #fmt}, or null. */
    private HlsSegmentTap segmentTap;
    /** The input read by the worker (custom I/O), or null when FFmpeg reads it. */
    private CustomIo customIo;

    private boolean finite;

    InputContext(SourceUrl source, TsAnalyzer transport, InputWatch watch) {
        this.source = source;
        this.transport = transport;
        this.watch = watch;
    }

    /** Opens the input and reads its stream information; the context to demux it from. */
    AVFormatContext open(double timeoutSeconds, double hlsTarget) throws InputException {
        FFmpegLog.installQuiet();
        fmt = avformat_alloc_context();
        IoCallbacks.register(opaque, this);
        AVIOInterruptCB cb = fmt.interrupt_callback();
        cb.callback(IoCallbacks.INTERRUPT);
        cb.opaque(opaque);
        AVDictionary options = new AVDictionary(null);
        for (Map.Entry<String, String> e :
                source.ffmpegOptions(timeoutSeconds, hlsTarget).entrySet()) {
            av_dict_set(options, e.getKey(), e.getValue(), 0);
        }
        watch.lastDataNanos = System.nanoTime();
        FFmpegLog.takeRefusal();
        FFmpegLog.takeLastError();
        int ret;
        if (transport != null && (customIo = CustomIo.open(source, transport, watch, fmt, opaque)) != null) {
            ret = avformat_open_input(fmt, (String) null, av_find_input_format("mpegts"), options);
        } else {
            if (TAPPED_SCHEMES.contains(source.scheme())) {
                // HLS: what FFmpeg opens gets the TLS options and no credentials for other origins, playlist reloads
                // a size limit; with the transport analysed the segments go through the analyser too. A kept-alive
                // connection would be reused behind the tap's back, so one connection per playlist and segment
                segmentTap = HlsSegmentTap.install(
                        fmt, opaque, transport, source.tls().ffmpegOptions(), Origin.of(source.ffmpegUrl()));
                av_dict_set(options, "http_persistent", "0", 0);
                av_dict_set(options, "http_multiple", "0", 0);
            }
            ret = avformat_open_input(fmt, source.ffmpegUrl(), null, options);
        }
        av_dict_free(options);
        String refusal = FFmpegLog.takeRefusal();
        if (ret < 0) {
            fmt = null; // freed by avformat_open_input on failure (not a custom I/O context: CustomIo.close frees it)
            if (refusal != null) { // the worker's own explanation: reported as it is
                throw new InputException("cannot open " + source + ": " + error(ret)
                        + " (refused by the protocol allow-list: " + refusal + ")");
            }
            throw new InputException(
                    ErrorCategory.ofFfmpeg(ret, FFmpegLog.takeLastError()),
                    "cannot open " + source + ": " + error(ret));
        }
        if (refusal != null) {
            System.err.println("monoscope: " + source + ": refused by the protocol allow-list: " + refusal);
        }
        watch.lastDataNanos = System.nanoTime();
        ret = avformat_find_stream_info(fmt, (AVDictionary) null);
        if (ret < 0) {
            throw new InputException(
                    ErrorCategory.ofFfmpeg(ret, FFmpegLog.takeLastError()),
                    "cannot read stream information from " + source + ": " + error(ret));
        }
        // live streams have no duration; a file whose video cannot be read may not say its duration either, yet ends
        finite = (source.isLocalFile() && !source.looksLikeHls())
                || (fmt.duration() != AV_NOPTS_VALUE && fmt.duration() > 0);
        return fmt;
    }

    /** True when the input has a known length (a file, VOD). */
    boolean finite() {
        return finite;
    }

    /** What the interrupt callback and the worker's own reading check. */
    InputWatch watch() {
        return watch;
    }

    /** The input read by the worker, or null ({@link IoCallbacks}). */
    CustomIo customIo() {
        return customIo;
    }

    /** The HLS segment tap, or null ({@link IoCallbacks#segmentTapOf}). */
    HlsSegmentTap segmentTap() {
        return segmentTap;
    }

    @Override
    public void close() {
        if (fmt != null) {
            avformat_close_input(fmt);
            fmt = null;
        }
        segmentTap = null; // its segments were closed through the hook with the context
        if (customIo != null) {
            customIo.close();
            customIo = null;
        }
        IoCallbacks.unregister(opaque);
    }
}
