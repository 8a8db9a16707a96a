package dev.monoscope.worker.decode;

import static dev.monoscope.worker.decode.AvError.error;
import static org.bytedeco.ffmpeg.global.avcodec.AVDISCARD_ALL;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EAGAIN;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;

import dev.monoscope.api.worker.DecoderInfo;
import dev.monoscope.api.worker.StreamInfo;
import dev.monoscope.worker.source.ErrorCategory;
import dev.monoscope.worker.source.SourceUrl;
import dev.monoscope.worker.transport.TsAnalyzer;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avutil.AVFrame;

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
        /** A video packet the decoder rejected, or a picture it lost, at {@link #undecodableTime()}. */
        UNDECODABLE
    }

    /** Not an FFmpeg error code: marks the test seam's failure. */
    private static final int SIMULATED_FAILURE = Integer.MIN_VALUE;

    private final SourceUrl source;
    private final InputWatch watch;
    private final InputContext input;
    /** CPU decoding threads (also for a decoder opened after a failover). */
    private int threads = 1;

    private AVFormatContext fmt;
    /** The transport analyser that sees every byte of a TS input the worker reads itself, or null. */
    private final TsAnalyzer transport;

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

    private final DecodedFrames frames = new DecodedFrames();
    private final VideoFailover failover = new VideoFailover();
    /** Test seam: the active video decoder "fails" at the first packet after this many pictures; 0 = never. */
    private long failVideoDecoderAfter;

    private final PacketTaps taps = new PacketTaps();

    private StreamDecoder(SourceUrl source, double timeoutSeconds, TsAnalyzer transport) {
        this.source = source;
        this.transport = transport;
        this.watch = new InputWatch(timeoutSeconds);
        this.input = new InputContext(source, transport, watch);
    }

    /**
     * Opens the input, picks the programme's video and audio streams and opens their decoders. With a transport
     * analyser, an MPEG-TS input that the worker can read itself (a TS file, UDP, RTP) is read by the worker and handed
     * to FFmpeg through a custom I/O context, every byte going to the analyser too (which starts over). Other inputs go
     * through FFmpeg's own I/O; over HTTP(S) or from a file, the MPEG-TS segments of an HLS stream reach the analyser
     * too, segment by segment ({@link HlsSegmentTap}).
     */
    public static StreamDecoder open(SourceUrl source, DecoderOptions options) throws InputException {
        StreamDecoder d = new StreamDecoder(source, options.timeoutSeconds(), options.transport());
        try {
            d.threads = Math.max(1, options.threads());
            d.fmt = d.input.open(options.timeoutSeconds(), options.hlsTargetSeconds());
            d.selectStreams(options.program(), options.audioTracks(), options.decoderMode(), options.threads());
            d.watch.lastDataNanos = System.nanoTime();
            d.watch.opening = false;
            return d;
        } catch (InputException | RuntimeException e) {
            d.close();
            throw e;
        }
    }

    private void selectStreams(Integer program, List<Integer> audioTracks, String decoderMode, int threads)
            throws InputException {
        StreamSelection chosen = StreamSelection.choose(fmt, program, audioTracks, source);
        int n = fmt.nb_streams();
        tracks = new Track[n];
        decoderInfo = new DecoderInfo(DecoderInfo.CPU, decoderMode, null);
        if (chosen.videoIndex() >= 0) {
            video = openTrack(chosen.videoIndex(), true, 1, decoderMode, threads);
        }
        for (int k = 0; k < chosen.audioIndexes().size(); k++) {
            audio.add(openTrack(
                    chosen.audioIndexes().get(k), false, chosen.audioNumbers().get(k), "cpu", 1));
        }
        info = StreamDescription.of(fmt, video, audio);
        taps.captions = video == null ? null : CaptionScanner.of(video.stream.codecpar());
        boolean hls = info.container.equals("hls");
        frames.lostVideoData = transport != null && (hls || info.container.equals("mpegts"))
                ? new LostVideoData(transport, hls)
                : null;
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
        Codecs.Opened opened = Codecs.open(fmt.streams(index), isVideo, decoderMode, threads, source);
        if (isVideo) {
            decoderInfo = opened.info();
        }
        Track t = new Track(fmt.streams(index), opened.ctx(), isVideo, number);
        t.decoderName = opened.decoderName();
        t.canFallBack = isVideo && DecoderInfo.CUDA.equals(decoderInfo.type);
        t.lastsUntilNext = fmt.iformat().name().getString().startsWith("mov,");
        tracks[index] = t;
        return t;
    }

    /** What was opened. */
    public SourceUrl source() {
        return source;
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
     * Test seam: after {@code pictures} pictures (0: never) the video decoder fails as CUDA's does when its GPU goes.
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

    /** Runs on the decoding thread for every video packet read, picture or not (null: nothing). */
    public void onVideoPacket(Runnable hook) {
        taps.videoHook = hook;
    }

    /** The video stream's id in the container (its PID in MPEG-TS), or -1 without video. */
    public int videoPid() {
        return video == null ? -1 : video.streamId;
    }

    /** The audio tracks, in track order. */
    public List<AudioTrackId> audioTracks() {
        return audio.stream().map(t -> new AudioTrackId(t.number, t.streamId)).toList();
    }

    /** The caption data found in the video packets, or null when the video's codec cannot carry A/53 captions. */
    public CaptionScanner captions() {
        return taps.captions;
    }

    /** Keeps the last {@code seconds} of the streams' packets (≤ {@code maxBytes}) for clips, while this is open. */
    public PacketRing record(double seconds, long maxBytes) {
        if (taps.ring == null) {
            taps.ring = new PacketRing(seconds, maxBytes);
        }
        return taps.ring;
    }

    /** True when the input has a known length (a file, VOD): its end is the end of monitoring. */
    public boolean finite() {
        return input.finite();
    }

    /** Packets the decoders refused and pictures they flagged as damaged, so far. */
    public long decodeErrors() {
        return frames.decodeErrors();
    }

    public Picture picture() {
        return frames.picture;
    }

    public AudioBlock audioBlock() {
        return frames.block;
    }

    /**
     * Decodes until the next picture or audio block.
     *
     * @return its kind ({@link #picture()} or {@link #audioBlock()} hold it), or null at the end of the input
     * @throws InputException when reading fails or no data came for the timeout
     */
    public Kind next() throws InputException {
        while (true) {
            if (frames.takeLostPicture()) {
                return Kind.UNDECODABLE;
            }
            if (receiving != null) {
                int ret = avcodec_receive_frame(receiving.ctx, frame);
                if (ret >= 0) {
                    Kind k = frames.deliver(receiving, frame, drainIndex >= 0, failover);
                    if (k != null) {
                        return k;
                    }
                    continue;
                }
                if (receiveFailed(ret)) {
                    return Kind.UNDECODABLE;
                }
            }
            AVPacket replayed = failover.nextReplayed();
            if (replayed != null) {
                avcodec_send_packet(video.ctx, replayed);
                av_packet_free(replayed);
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
            if (readPacket()) {
                return Kind.UNDECODABLE;
            }
        }
    }

    /** The decoder has no frame for now ({@code ret}): at a failure, fails over or counts the packet lost (true). */
    private boolean receiveFailed(int ret) throws InputException {
        Track failed = receiving;
        receiving = null;
        boolean error = ret != AVERROR_EAGAIN() && ret != AVERROR_EOF();
        if (error && failed.isVideo && failed.canFallBack) {
            failOver(failed, error(ret));
            return false;
        }
        if (drainIndex >= 0) {
            drainIndex++;
        }
        return error && failed.isVideo && frames.undecodable(failed.nextPts);
    }

    /**
     * Reads the next packet and sends it to its decoder; at the end of the input, starts draining the decoders.
     *
     * @return whether the packet is a lost picture to report
     */
    private boolean readPacket() throws InputException {
        int ret = av_read_frame(fmt, packet);
        if (ret == AVERROR_EAGAIN()) {
            if (System.nanoTime() - watch.lastDataNanos > watch.timeoutNanos) {
                throw noData();
            }
            watch.pauseBeforeRetry();
            return false;
        }
        if (ret == AVERROR_EOF() && watch.timedOut && !watch.interrupted) {
            throw noData();
        }
        if (ret == AVERROR_EOF()) {
            startDraining();
            return false;
        }
        if (ret < 0) {
            throw new InputException(
                    ErrorCategory.ofFfmpeg(ret, FFmpegLog.takeLastError()),
                    watch.interrupted ? "stopped" : "reading " + source + " failed: " + error(ret));
        }
        watch.lastDataNanos = System.nanoTime();
        Track t = packet.stream_index() < tracks.length ? tracks[packet.stream_index()] : null;
        if (t != null) {
            taps.packetRead(packet, t);
            if (t.isVideo && frames.lostVideoData != null) {
                frames.lostVideoData.packetRead(packet, t.streamId, t.timeBase);
            }
            if (t.isVideo && t.canFallBack) {
                failover.keepForReplay(packet);
            }
            int s = t.isVideo && failVideoDecoderAfter > 0 && frames.videoPictures() >= failVideoDecoderAfter
                    ? SIMULATED_FAILURE
                    : frames.send(t, packet);
            if (s < 0 && s != AVERROR_EAGAIN() && t.isVideo && t.canFallBack) {
                av_packet_unref(packet);
                failOver(t, s == SIMULATED_FAILURE ? "simulated failure (test seam)" : error(s));
                return false;
            }
            receiving = t;
            if (s < 0 && s != AVERROR_EAGAIN() && t.isVideo) {
                long pts = packet.pts() != AV_NOPTS_VALUE ? packet.pts() : packet.dts();
                boolean counted = frames.undecodable(pts == AV_NOPTS_VALUE ? t.nextPts : pts * t.timeBase);
                av_packet_unref(packet);
                return counted;
            }
        }
        av_packet_unref(packet);
        return false;
    }

    private InputException noData() {
        return new InputException(
                ErrorCategory.TIMEOUT, "no data from " + source + " for " + watch.timeoutNanos / 1_000_000 + " ms");
    }

    /** The video decoder failed: the CPU decoder takes over ({@link VideoFailover}). */
    private void failOver(Track t, String why) throws InputException {
        failVideoDecoderAfter = 0;
        decoderInfo = failover.failOver(t, why, threads, decoderInfo, frames.lastVideoPts());
        receiving = null;
    }

    /** Whether the last {@link Kind#UNDECODABLE} is a lost picture, its time known late, not a refused packet. */
    public boolean undecodableLost() {
        return frames.undecodableLost();
    }

    /** Stream time of the packet behind the last {@link Kind#UNDECODABLE}, seconds. */
    public double undecodableTime() {
        return frames.undecodableTime();
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

    /** Makes a blocked read return at once (from any thread); the decoder is finished afterwards. */
    public void interrupt() {
        watch.interrupted = true;
    }

    @Override
    public void close() {
        for (Track t : tracks) {
            if (t != null && t.ctx != null) {
                avcodec_free_context(t.ctx);
            }
        }
        taps.close(); // writes the clips still waiting, while the streams are open
        tracks = new Track[0];
        failover.close();
        if (packet != null) {
            av_packet_free(packet);
            packet = null;
        }
        if (frame != null) {
            av_frame_free(frame);
            frame = null;
        }
        fmt = null;
        input.close();
    }
}
