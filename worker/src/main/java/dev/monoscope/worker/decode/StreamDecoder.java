package dev.monoscope.worker.decode;

import static org.bytedeco.ffmpeg.global.avcodec.AVDISCARD_ALL;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_clone;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_to_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avformat.AVSEEK_SIZE;
import static org.bytedeco.ffmpeg.global.avformat.av_find_input_format;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avformat.avio_alloc_context;
import static org.bytedeco.ffmpeg.global.avformat.avio_context_free;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EAGAIN;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EXIT;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_CHANNEL_ORDER_NATIVE;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_DBL;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLT;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_S16;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_S32;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_U8;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_free;
import static org.bytedeco.ffmpeg.global.avutil.av_get_packed_sample_fmt;
import static org.bytedeco.ffmpeg.global.avutil.av_malloc;
import static org.bytedeco.ffmpeg.global.avutil.av_q2d;
import static org.bytedeco.ffmpeg.global.avutil.av_sample_fmt_is_planar;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

import dev.monoscope.api.worker.DecoderInfo;
import dev.monoscope.api.worker.StreamInfo;
import dev.monoscope.worker.source.ErrorCategory;
import dev.monoscope.worker.source.Origin;
import dev.monoscope.worker.source.SourceFetchException;
import dev.monoscope.worker.source.SourceUrl;
import dev.monoscope.worker.source.TsInput;
import dev.monoscope.worker.transport.ReadPosition;
import dev.monoscope.worker.transport.TsAnalyzer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVIOInterruptCB;
import org.bytedeco.ffmpeg.avformat.AVProgram;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avformat.Read_packet_Pointer_BytePointer_int;
import org.bytedeco.ffmpeg.avformat.Seek_Pointer_long_int;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;

/**
 * Demuxes and decodes one input with FFmpeg (the bytedeco presets that JavaCV is built on, used directly: the
 * monitor needs every audio track of a programme, the decoder's error flags and an interrupt callback, which
 * FFmpegFrameGrabber does not expose). Frames stay in FFmpeg's buffers; {@link #next()} hands out views of them.
 * Not thread-safe, except {@link #interrupt()}.
 */
public final class StreamDecoder implements AutoCloseable {

    /** What {@link #next()} produced. */
    public enum Kind {
        /** A picture: {@link #picture()}. */
        VIDEO,
        /** Audio: {@link #audioBlock()}. */
        AUDIO,
        /** A video packet the decoder rejected, at {@link #undecodableTime()}: its picture is lost. */
        UNDECODABLE
    }

    /** Maps the interrupt callback's opaque pointer back to its decoder; one static callback for all of them. */
    private static final Map<Long, StreamDecoder> BY_OPAQUE = new ConcurrentHashMap<>();

    private static final InterruptCallback INTERRUPT = new InterruptCallback();
    private static final ReadCallback READ = new ReadCallback();
    private static final SeekCallback SEEK = new SeekCallback();
    /** The custom I/O context's buffer: FFmpeg asks for up to this much per read. */
    private static final int IO_BUFFER = 64 * 1024;

    /** The HLS segment tap of the decoder whose format context has this opaque, or null. */
    static HlsSegmentTap segmentTapOf(long opaqueAddress) {
        StreamDecoder d = BY_OPAQUE.get(opaqueAddress);
        return d == null ? null : d.segmentTap;
    }

    private final SourceUrl source;
    private final IntPointer opaque = new IntPointer(1);
    private final long timeoutNanos;
    /** CPU decoding threads (also for a decoder opened after a failover). */
    private int threads = 1;

    private volatile boolean interrupted;
    /** The interrupt callback cut a read short for lack of data: some demuxers (HLS) report that as the end. */
    private volatile boolean timedOut;

    private volatile long lastDataNanos = System.nanoTime();
    /** While opening, FFmpeg probes for seconds without handing out packets: only this overall limit applies. */
    private volatile boolean opening = true;

    private static final long OPEN_LIMIT_NANOS = 30_000_000_000L;

    private AVFormatContext fmt;
    /** Inputs FFmpeg opens itself whose HLS segments the analyser sees ({@link HlsSegmentTap}). */
    private static final java.util.Set<String> TAPPED_SCHEMES = java.util.Set.of("http", "https", "file");
    /** The HLS segment tap installed on {@link #fmt}, or null. */
    private HlsSegmentTap segmentTap;
    /** The transport analyser that sees every byte of a TS input the worker reads itself, or null. */
    private final TsAnalyzer transport;
    /** The input read by the worker (custom I/O), or null when FFmpeg reads it. */
    private TsInput input;

    private AVIOContext avio;
    private byte[] ioBytes;
    /** Where the next read starts, and how far the analyser has seen (FFmpeg may seek a file's end and back). */
    private ReadPosition readPos;
    /**
     * When the custom input last gave bytes: its timeout counts from there, not from the last demuxed packet (FFmpeg
     * still hands out buffered packets after the input went quiet, and reads again after an end).
     */
    private long lastInputNanos;

    private AVPacket packet;
    private AVFrame frame;
    private Track[] tracks = new Track[0];
    private Track video;
    private final List<Track> audio = new ArrayList<>();
    private Track receiving;
    private int drainIndex = -1;
    private final List<Track> draining = new ArrayList<>();
    private StreamInfo info;
    private DecoderInfo decoderInfo;
    private boolean finite;
    private long decodeErrors;

    private final Picture picture = new Picture();
    private final AudioBlock block = new AudioBlock();
    private boolean keySeen;
    private double undecodableTime;
    private double keyPts = Double.NEGATIVE_INFINITY;

    /** Video packets since the last keyframe, kept while the video decoder may fail over: replayed into its successor. */
    private final ArrayDeque<AVPacket> sinceKeyframe = new ArrayDeque<>();
    /** Packets still to send to the successor decoder after a failover. */
    private final ArrayDeque<AVPacket> replay = new ArrayDeque<>();
    /** After a failover, pictures up to this time were already delivered by the failed decoder. */
    private double replayedUpTo = Double.NEGATIVE_INFINITY;

    private double lastVideoPts = Double.NEGATIVE_INFINITY;
    /** Which pictures lost data on the way in: MPEG-TS and HLS inputs with their transport analysed, else null. */
    private LostVideoData lostVideoData;

    private long videoPictures;
    /** Test seam: the active video decoder "fails" at the first packet after this many pictures; 0 = never. */
    private long failVideoDecoderAfter;

    private static final class Track {
        final AVStream stream;
        AVCodecContext ctx;
        /** The FFmpeg decoder in use (h264, h264_cuvid, …). */
        String decoderName;
        /** A decoder failure switches this track to a fresh CPU decoder rather than losing pictures. */
        boolean canFallBack;

        final boolean isVideo;
        final int number;
        final double timeBase;
        /** The demuxer's id of the stream: the PID in MPEG-TS (read once: a native call). */
        final int streamId;

        double nextPts = Double.NaN;

        Track(AVStream stream, AVCodecContext ctx, boolean isVideo, int number) {
            this.stream = stream;
            this.ctx = ctx;
            this.isVideo = isVideo;
            this.number = number;
            this.timeBase = av_q2d(stream.time_base());
            this.streamId = stream.id();
        }
    }

    private StreamDecoder(SourceUrl source, double timeoutSeconds, TsAnalyzer transport) {
        this.source = source;
        this.transport = transport;
        this.timeoutNanos = (long) (timeoutSeconds * 1e9);
    }

    /**
     * Opens the input, picks the programme's video and audio streams and opens their decoders.
     *
     * @param program      programme to watch, from 1, or null for the first
     * @param audioTracks  audio tracks of that programme, from 1, or null/empty for all
     * @param decoderMode  auto, cpu or gpu (CUDA through the *_cuvid decoders)
     * @param threads      decoding threads
     * @param hlsTarget    a live HLS playlist's target duration, seconds, or NaN
     */
    public static StreamDecoder open(
            SourceUrl source,
            double timeoutSeconds,
            Integer program,
            List<Integer> audioTracks,
            String decoderMode,
            int threads,
            double hlsTarget)
            throws InputException {
        return open(source, timeoutSeconds, program, audioTracks, decoderMode, threads, hlsTarget, null);
    }

    /**
     * As above; with a transport analyser, an MPEG-TS input that the worker can read itself (a TS file, UDP, RTP) is
     * read by the worker and handed to FFmpeg through a custom I/O context, every byte going to the analyser too
     * (which starts over). Other inputs go through FFmpeg's own I/O as before; over HTTP(S) or from a file, the MPEG-TS
     * segments of an HLS stream reach the analyser too, segment by segment ({@link HlsSegmentTap}).
     */
    public static StreamDecoder open(
            SourceUrl source,
            double timeoutSeconds,
            Integer program,
            List<Integer> audioTracks,
            String decoderMode,
            int threads,
            double hlsTarget,
            TsAnalyzer transport)
            throws InputException {
        StreamDecoder d = new StreamDecoder(source, timeoutSeconds, transport);
        try {
            d.threads = Math.max(1, threads);
            d.openInput(timeoutSeconds, hlsTarget);
            d.selectStreams(program, audioTracks, decoderMode, threads);
            d.lastDataNanos = System.nanoTime();
            d.opening = false;
            return d;
        } catch (InputException | RuntimeException e) {
            d.close();
            throw e;
        }
    }

    private void openInput(double timeoutSeconds, double hlsTarget) throws InputException {
        FFmpegLog.installQuiet();
        fmt = avformat_alloc_context();
        BY_OPAQUE.put(opaque.address(), this);
        AVIOInterruptCB cb = fmt.interrupt_callback();
        cb.callback(INTERRUPT);
        cb.opaque(opaque);
        AVDictionary options = new AVDictionary(null);
        for (Map.Entry<String, String> e :
                source.ffmpegOptions(timeoutSeconds, hlsTarget).entrySet()) {
            av_dict_set(options, e.getKey(), e.getValue(), 0);
        }
        lastDataNanos = System.nanoTime();
        FFmpegLog.takeRefusal();
        FFmpegLog.takeLastError();
        int ret;
        if (transport != null && openOwnInput()) {
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
            fmt = null; // freed by avformat_open_input on failure (not a custom I/O context: closeOwnInput frees it)
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
        lastDataNanos = System.nanoTime();
        ret = avformat_find_stream_info(fmt, (AVDictionary) null);
        if (ret < 0) {
            throw new InputException(
                    ErrorCategory.ofFfmpeg(ret, FFmpegLog.takeLastError()),
                    "cannot read stream information from " + source + ": " + error(ret));
        }
        finite = fmt.duration() != AV_NOPTS_VALUE && fmt.duration() > 0; // live streams have no duration
    }

    /**
     * Opens the input in Java when it is TS the worker can read, and gives FFmpeg a custom I/O context reading it;
     * false when FFmpeg should open the URL itself.
     */
    private boolean openOwnInput() throws InputException {
        try {
            input = TsInput.open(source, timeoutNanos / 1e9);
        } catch (IOException | RuntimeException e) {
            throw e instanceof SourceFetchException f
                    ? InputException.of(f, "cannot open " + source)
                    : new InputException(ErrorCategory.of(e), "cannot open " + source + ": " + e.getMessage());
        }
        if (input == null) {
            return false;
        }
        transport.reset();
        lastInputNanos = System.nanoTime();
        ioBytes = new byte[IO_BUFFER];
        readPos = new ReadPosition(0);
        BytePointer buffer = new BytePointer(av_malloc(IO_BUFFER)).capacity(IO_BUFFER);
        avio = avio_alloc_context(buffer, IO_BUFFER, 0, opaque, READ, null, input.seekable() ? SEEK : null);
        avio.seekable(input.seekable() ? 1 : 0);
        fmt.pb(avio);
        fmt.flags(fmt.flags() | AVFormatContext.AVFMT_FLAG_CUSTOM_IO);
        return true;
    }

    /** FFmpeg wants bytes: waits for them (polling the stop request and the timeout), tees them to the analyser. */
    private int readInput(BytePointer buf, int size) {
        while (true) {
            if (interrupted) {
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
                lastDataNanos = System.nanoTime();
                lastInputNanos = lastDataNanos;
                int fresh = readPos.read(n);
                if (fresh > 0) {
                    transport.feed(ioBytes, n - fresh, fresh);
                }
                buf.position(0).put(ioBytes, 0, n);
                return n;
            }
            if (System.nanoTime() - lastInputNanos > silenceLimitNanos()) {
                timedOut = true;
                return AVERROR_EOF(); // next() reports the timeout
            }
        }
    }

    private long seekInput(long offset, int whence) {
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

    private void closeOwnInput() {
        if (avio != null) {
            av_free(avio.buffer());
            avio.buffer(null);
            avio_context_free(avio);
            avio = null;
        }
        if (input != null) {
            input.close();
            input = null;
        }
    }

    private void selectStreams(Integer program, List<Integer> audioTracks, String decoderMode, int threads)
            throws InputException {
        int n = fmt.nb_streams();
        List<Integer> candidates = new ArrayList<>();
        if (program != null && fmt.nb_programs() > 0) {
            int index = program - 1;
            if (index < 0 || index >= fmt.nb_programs()) {
                // not a position: perhaps the programme number (service id) itself
                index = -1;
                for (int i = 0; i < fmt.nb_programs(); i++) {
                    if (fmt.programs(i).program_num() == program) {
                        index = i;
                    }
                }
            }
            if (index < 0) {
                throw new UnsupportedStreamException("programme " + program + " not found: " + source + " has "
                        + fmt.nb_programs() + " programme(s)");
            }
            AVProgram p = fmt.programs(index);
            for (int i = 0; i < p.nb_stream_indexes(); i++) {
                candidates.add(p.stream_index().get(i));
            }
        } else if (program != null && program != 1) {
            throw new UnsupportedStreamException(
                    "programme " + program + " not found: " + source + " has one programme");
        } else if (fmt.nb_programs() > 0) {
            AVProgram p = fmt.programs(0);
            for (int i = 0; i < p.nb_stream_indexes(); i++) {
                candidates.add(p.stream_index().get(i));
            }
        }
        if (candidates.isEmpty()) {
            for (int i = 0; i < n; i++) {
                candidates.add(i);
            }
        }
        tracks = new Track[n];
        int videoIndex = -1;
        List<Integer> audioIndexes = new ArrayList<>();
        for (int i : candidates) {
            AVCodecParameters par = fmt.streams(i).codecpar();
            if (par.codec_type() == AVMEDIA_TYPE_VIDEO
                    && videoIndex < 0
                    && par.codec_id() != 0
                    && (fmt.streams(i).disposition() & 0x400) == 0) { // not an attached picture
                videoIndex = i;
            } else if (par.codec_type() == AVMEDIA_TYPE_AUDIO && par.codec_id() != 0) {
                audioIndexes.add(i);
            }
        }
        // tracks keep their number in the programme (--audio-track 3 alone is reported as track 3)
        List<Integer> audioNumbers = new ArrayList<>();
        for (int t = 1; t <= audioIndexes.size(); t++) {
            audioNumbers.add(t);
        }
        if (audioTracks != null && !audioTracks.isEmpty()) {
            List<Integer> picked = new ArrayList<>();
            for (int t : audioTracks) {
                if (t < 1 || t > audioIndexes.size()) {
                    throw new UnsupportedStreamException("audio track " + t + " not found: the programme has "
                            + audioIndexes.size() + " audio track(s)");
                }
                picked.add(audioIndexes.get(t - 1));
            }
            audioIndexes = picked;
            audioNumbers = List.copyOf(audioTracks);
        }
        if (videoIndex < 0 && audioIndexes.isEmpty()) {
            throw new UnsupportedStreamException("no video or audio stream in " + source);
        }
        info = new StreamInfo();
        info.container = fmt.iformat().name().getString().split(",")[0];
        boolean hls = info.container.equals("hls");
        lostVideoData = transport != null && (hls || info.container.equals("mpegts"))
                ? new LostVideoData(transport, hls)
                : null;
        if (fmt.bit_rate() > 0) {
            info.bitrate = fmt.bit_rate();
        }
        decoderInfo = new DecoderInfo(DecoderInfo.CPU, decoderMode, null);
        if (videoIndex >= 0) {
            video = openTrack(videoIndex, true, 1, decoderMode, threads);
            AVCodecParameters par = video.stream.codecpar();
            info.videoCodec = avcodec_get_name(par.codec_id()).getString();
            info.width = par.width();
            info.height = par.height();
            double fps = av_q2d(video.stream.avg_frame_rate());
            if (!(fps > 0)) {
                fps = av_q2d(video.stream.r_frame_rate());
            }
            info.frameRate = fps > 0 ? Math.round(fps * 1000) / 1000.0 : null;
        }
        for (int k = 0; k < audioIndexes.size(); k++) {
            Track t = openTrack(audioIndexes.get(k), false, audioNumbers.get(k), "cpu", 1);
            audio.add(t);
            if (info.audioCodec == null) {
                AVCodecParameters par = t.stream.codecpar();
                info.audioCodec = avcodec_get_name(par.codec_id()).getString();
                info.channels = par.ch_layout().nb_channels();
                info.sampleRate = par.sample_rate();
            }
        }
        for (int i = 0; i < n; i++) {
            if (tracks[i] == null) {
                fmt.streams(i).discard(AVDISCARD_ALL);
            }
        }
        packet = av_packet_alloc();
        frame = av_frame_alloc();
    }

    private Track openTrack(int index, boolean isVideo, int number, String decoderMode, int threads)
            throws InputException {
        AVStream st = fmt.streams(index);
        AVCodecParameters par = st.codecpar();
        String codecName = avcodec_get_name(par.codec_id()).getString();
        FormatLimits.check(par, isVideo, source);
        AVCodecContext ctx = null;
        String decoderName = null;
        if (isVideo) {
            DecoderSelection selection = DecoderSelection.choose(
                    decoderMode, "cpu".equals(decoderMode) ? null : CudaProbe.problem(), codecName);
            if (selection.gpu()) {
                AVCodec cuvid = avcodec_find_decoder_by_name(selection.cuvidDecoder());
                int[] err = new int[1];
                ctx = cuvid == null || cuvid.isNull() ? null : openCodec(cuvid, par, st, 1, err);
                if (ctx == null) {
                    selection = selection.cudaOpenFailed(
                            cuvid == null || cuvid.isNull() ? "not in this FFmpeg build" : error(err[0]));
                } else {
                    decoderName = selection.cuvidDecoder();
                }
            }
            decoderInfo = selection.info();
        }
        if (ctx == null) {
            AVCodec codec = avcodec_find_decoder(par.codec_id());
            if (codec == null || codec.isNull()) {
                throw new UnsupportedStreamException("unsupported codec: no decoder for "
                        + (isVideo ? "video" : "audio") + " codec '" + codecName + "' in " + source);
            }
            ctx = openCodec(codec, par, st, threads, new int[1]);
            decoderName = codec.name().getString();
            if (ctx == null) {
                throw new UnsupportedStreamException(
                        "unsupported codec: cannot open the " + codecName + " decoder for " + source);
            }
        }
        Track t = new Track(st, ctx, isVideo, number);
        t.decoderName = decoderName;
        t.canFallBack = isVideo && DecoderInfo.CUDA.equals(decoderInfo.type);
        tracks[index] = t;
        return t;
    }

    /** Opens a decoder; null when it would not open, with FFmpeg's error code in {@code err[0]}. */
    private static AVCodecContext openCodec(AVCodec codec, AVCodecParameters par, AVStream st, int threads, int[] err) {
        AVCodecContext ctx = avcodec_alloc_context3(codec);
        if ((err[0] = avcodec_parameters_to_context(ctx, par)) < 0) {
            avcodec_free_context(ctx);
            return null;
        }
        ctx.pkt_timebase(st.time_base());
        FormatLimits.bound(ctx);
        ctx.thread_count(Math.max(1, threads));
        if ((err[0] = avcodec_open2(ctx, codec, (AVDictionary) null)) < 0) {
            avcodec_free_context(ctx);
            return null;
        }
        return ctx;
    }

    /** The stream's format as opened. */
    public StreamInfo streamInfo() {
        return info;
    }

    /** Where decoding happens now; a new instance after a failover, so a reference check tells of a change. */
    public DecoderInfo decoderInfo() {
        return decoderInfo;
    }

    /**
     * Test seam: after {@code pictures} video pictures, the active video decoder fails as a CUDA decoder does when
     * its GPU goes away, and the failover to the CPU runs. No GPU is needed to exercise that path; 0 turns it off.
     */
    public void failVideoDecoderAfter(long pictures) {
        failVideoDecoderAfter = pictures;
        if (pictures > 0 && video != null) {
            video.canFallBack = true;
        }
    }

    /** Where the stream's clock starts (the container's start time), or NaN when the container does not say. */
    public double startTime() {
        long st = fmt.start_time();
        return st == AV_NOPTS_VALUE ? Double.NaN : st / 1e6;
    }

    /** True when the input has a known length (a file, VOD): its end is the end of monitoring. */
    public boolean finite() {
        return finite;
    }

    /** Packets the decoders refused and pictures they flagged as damaged, so far. */
    public long decodeErrors() {
        return decodeErrors;
    }

    public Picture picture() {
        return picture;
    }

    public AudioBlock audioBlock() {
        return block;
    }

    /**
     * Decodes until the next picture or audio block.
     *
     * @return its kind ({@link #picture()} or {@link #audioBlock()} hold it), or null at the end of the input
     * @throws InputException when reading fails or no data came for the timeout
     */
    public Kind next() throws InputException {
        while (true) {
            if (receiving != null) {
                int ret = avcodec_receive_frame(receiving.ctx, frame);
                if (ret >= 0) {
                    Kind k = deliver(receiving, drainIndex >= 0);
                    if (k != null) {
                        return k;
                    }
                    continue;
                }
                Track failed = receiving;
                receiving = null;
                boolean error = ret != AVERROR_EAGAIN() && ret != AVERROR_EOF();
                if (error && failed.isVideo && failed.canFallBack) {
                    failOver(failed, error(ret));
                    continue;
                }
                if (drainIndex >= 0) {
                    drainIndex++;
                }
                if (error && failed.isVideo && undecodable(failed.nextPts)) {
                    return Kind.UNDECODABLE;
                }
            }
            if (!replay.isEmpty()) {
                AVPacket p = replay.poll();
                avcodec_send_packet(video.ctx, p);
                av_packet_free(p);
                receiving = video;
                continue;
            }
            if (drainIndex >= 0) {
                if (drainIndex >= draining.size()) {
                    return null;
                }
                receiving = draining.get(drainIndex);
                avcodec_send_packet(receiving.ctx, null);
                continue;
            }
            int ret = av_read_frame(fmt, packet);
            if (ret == AVERROR_EAGAIN()) {
                if (System.nanoTime() - lastDataNanos > timeoutNanos) {
                    throw new InputException(
                            ErrorCategory.TIMEOUT,
                            "no data from " + source + " for " + timeoutNanos / 1_000_000 + " ms");
                }
                sleep();
                continue;
            }
            if (ret == AVERROR_EOF() && timedOut && !interrupted) {
                throw new InputException(
                        ErrorCategory.TIMEOUT, "no data from " + source + " for " + timeoutNanos / 1_000_000 + " ms");
            }
            if (ret == AVERROR_EOF()) {
                startDraining();
                continue;
            }
            if (ret < 0) {
                throw new InputException(
                        ErrorCategory.ofFfmpeg(ret, FFmpegLog.takeLastError()),
                        interrupted ? "stopped" : "reading " + source + " failed: " + error(ret));
            }
            lastDataNanos = System.nanoTime();
            Track t = packet.stream_index() < tracks.length ? tracks[packet.stream_index()] : null;
            if (t != null) {
                if (t.isVideo && lostVideoData != null) {
                    lostVideoData.packetRead(packet, t.streamId, t.timeBase);
                }
                if (t.isVideo && t.canFallBack) {
                    keepForReplay(packet);
                }
                int s = t.isVideo && failVideoDecoderAfter > 0 && videoPictures >= failVideoDecoderAfter
                        ? SIMULATED_FAILURE
                        : avcodec_send_packet(t.ctx, packet);
                if (s < 0 && s != AVERROR_EAGAIN() && t.isVideo && t.canFallBack) {
                    av_packet_unref(packet);
                    failOver(t, s == SIMULATED_FAILURE ? "simulated failure (test seam)" : error(s));
                    continue;
                }
                receiving = t;
                if (s < 0 && s != AVERROR_EAGAIN() && t.isVideo) {
                    long pts = packet.pts() != AV_NOPTS_VALUE ? packet.pts() : packet.dts();
                    boolean counted = undecodable(pts == AV_NOPTS_VALUE ? t.nextPts : pts * t.timeBase);
                    av_packet_unref(packet);
                    if (counted) {
                        return Kind.UNDECODABLE;
                    }
                    continue;
                }
            }
            av_packet_unref(packet);
        }
    }

    /** Not an FFmpeg error code: marks the test seam's failure. */
    private static final int SIMULATED_FAILURE = Integer.MIN_VALUE;

    /** Bounds the replay buffer for streams without keyframes (intra refresh): past it, a failover loses a GOP. */
    private static final int MAX_REPLAY_PACKETS = 1000;

    private void keepForReplay(AVPacket p) {
        if ((p.flags() & AV_PKT_FLAG_KEY) != 0 || sinceKeyframe.size() >= MAX_REPLAY_PACKETS) {
            freeAll(sinceKeyframe);
        }
        sinceKeyframe.add(av_packet_clone(p));
    }

    /**
     * The video decoder failed (a CUDA decoder whose GPU went away, ran out of memory, …): opens FFmpeg's CPU
     * decoder in its place and replays the packets since the last keyframe into it, so that no picture after the
     * failure is lost; those the failed decoder already delivered are skipped.
     */
    private void failOver(Track t, String why) throws InputException {
        failVideoDecoderAfter = 0;
        t.canFallBack = false;
        String failedName = t.decoderName;
        avcodec_free_context(t.ctx);
        AVCodecParameters par = t.stream.codecpar();
        AVCodec codec = avcodec_find_decoder(par.codec_id());
        int[] err = new int[1];
        AVCodecContext ctx = codec == null || codec.isNull() ? null : openCodec(codec, par, t.stream, threads, err);
        if (ctx == null) {
            t.ctx = null;
            throw new UnsupportedStreamException(
                    failedName + " failed (" + why + ") and the CPU decoder would not open");
        }
        t.ctx = ctx;
        t.decoderName = codec.name().getString();
        decoderInfo = DecoderSelection.failedMidStream(decoderInfo, failedName, lastVideoPts, why);
        replayedUpTo = lastVideoPts;
        replay.addAll(sinceKeyframe);
        sinceKeyframe.clear();
        receiving = null;
    }

    private static void freeAll(ArrayDeque<AVPacket> packets) {
        for (AVPacket p : packets) {
            av_packet_free(p);
        }
        packets.clear();
    }

    /** Counts a rejected video packet; true when it is a defect candidate (after the first keyframe). */
    private boolean undecodable(double pts) {
        if (!keySeen) {
            return false; // joining mid-stream: the decoder rejects what depends on pictures we never saw
        }
        decodeErrors++;
        undecodableTime = Double.isNaN(pts) ? keyPts : pts;
        return true;
    }

    /** Stream time of the packet behind the last {@link Kind#UNDECODABLE}, seconds. */
    public double undecodableTime() {
        return undecodableTime;
    }

    private void startDraining() {
        draining.clear();
        if (video != null) {
            draining.add(video);
        }
        draining.addAll(audio);
        drainIndex = 0;
        receiving = null;
    }

    private Kind deliver(Track t, boolean flushed) {
        long ts = frame.best_effort_timestamp();
        double pts = ts == AV_NOPTS_VALUE ? t.nextPts : ts * t.timeBase;
        if (Double.isNaN(pts)) {
            pts = 0;
        }
        if (t.isVideo) {
            if (pts <= replayedUpTo + 1e-6) {
                return null; // the failed decoder delivered this picture already
            }
            lastVideoPts = pts;
            videoPictures++;
            double fps = av_q2d(t.stream.avg_frame_rate());
            fillPicture(pts, flushed);
            picture.duration = fps > 0 ? 1 / fps : 0.04;
            t.nextPts = pts + picture.duration;
            return Kind.VIDEO;
        }
        if (!fillAudio(t, pts)) {
            return null;
        }
        t.nextPts = pts + (double) frame.nb_samples() / Math.max(1, frame.sample_rate());
        return Kind.AUDIO;
    }

    private void fillPicture(double pts, boolean flushed) {
        Picture p = picture;
        p.describe(frame);
        p.pts = pts;
        p.keyFrame = (frame.flags() & AVFrame.AV_FRAME_FLAG_KEY) != 0 || frame.pict_type() == 1;
        boolean damaged = frame.decode_error_flags() != 0 || (frame.flags() & AVFrame.AV_FRAME_FLAG_CORRUPT) != 0;
        if (p.keyFrame && !keySeen) {
            keySeen = true;
            keyPts = pts;
        }
        // pictures before the first keyframe (in display order too: open-GOP B-frames) reference what we never saw
        p.joined = keySeen && pts >= keyPts - 1e-6;
        p.trustworthy = p.joined && !flushed;
        p.damaged = damaged;
        p.dataLost = lostVideoData != null && lostVideoData.pictureLost(pts);
        if (damaged && p.trustworthy) {
            decodeErrors++;
        }
    }

    private boolean fillAudio(Track t, double pts) {
        int channels = frame.ch_layout().nb_channels();
        int n = frame.nb_samples();
        if (channels <= 0 || n <= 0) {
            return false;
        }
        AudioBlock b = block;
        b.track = t.number;
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

    /** Makes a blocked read return at once (from any thread); the decoder is finished afterwards. */
    public void interrupt() {
        interrupted = true;
    }

    private boolean shouldAbort() {
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
    private long silenceLimitNanos() {
        return opening ? Math.max(timeoutNanos, OPEN_LIMIT_NANOS) : timeoutNanos;
    }

    private static void sleep() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String error(int code) {
        byte[] buf = new byte[256];
        av_strerror(code, buf, buf.length);
        int len = 0;
        while (len < buf.length && buf[len] != 0) {
            len++;
        }
        return new String(buf, 0, len) + " (" + code + ")";
    }

    @Override
    public void close() {
        for (Track t : tracks) {
            if (t != null && t.ctx != null) {
                avcodec_free_context(t.ctx);
            }
        }
        tracks = new Track[0];
        freeAll(sinceKeyframe);
        freeAll(replay);
        if (packet != null) {
            av_packet_free(packet);
            packet = null;
        }
        if (frame != null) {
            av_frame_free(frame);
            frame = null;
        }
        if (fmt != null) {
            avformat_close_input(fmt);
            fmt = null;
        }
        segmentTap = null; // its segments were closed through the hook with the context
        closeOwnInput();
        BY_OPAQUE.remove(opaque.address());
    }

    /** FFmpeg calls this during blocking I/O: returning 1 aborts the read (stop asked, or no data for too long). */
    private static final class InterruptCallback extends AVIOInterruptCB.Callback_Pointer {
        @Override
        public int call(Pointer opaque) {
            StreamDecoder d = opaque == null ? null : BY_OPAQUE.get(opaque.address());
            return d != null && d.shouldAbort() ? 1 : 0;
        }
    }

    /** FFmpeg reads a custom I/O input through this (one static callback for all decoders, as for the interrupt). */
    private static final class ReadCallback extends Read_packet_Pointer_BytePointer_int {
        @Override
        public int call(Pointer opaque, BytePointer buf, int size) {
            StreamDecoder d = opaque == null ? null : BY_OPAQUE.get(opaque.address());
            if (d == null || d.input == null) {
                return AVERROR_EXIT();
            }
            try {
                return d.readInput(buf, size);
            } catch (RuntimeException e) {
                return AVERROR_EXIT();
            }
        }
    }

    private static final class SeekCallback extends Seek_Pointer_long_int {
        @Override
        public long call(Pointer opaque, long offset, int whence) {
            StreamDecoder d = opaque == null ? null : BY_OPAQUE.get(opaque.address());
            return d == null || d.input == null ? -1 : d.seekInput(offset, whence);
        }
    }
}
