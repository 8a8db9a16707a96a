package dev.monoscope.worker.monitor;

import dev.monoscope.api.DefectType;
import dev.monoscope.api.worker.DefectReason;
import dev.monoscope.api.worker.StreamInfo;
import dev.monoscope.worker.decode.AudioTrackId;
import dev.monoscope.worker.decode.StreamDecoder;
import dev.monoscope.worker.defect.DefectTracker;
import dev.monoscope.worker.transport.ScrambledPids;
import dev.monoscope.worker.transport.TsAnalyzer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Inputs that arrive but cannot be monitored, and why: a programme whose video, or every audio track, is scrambled
 * (conditional access: transport_scrambling_control on the selected PIDs, from the MPEG-TS analysis), and video that
 * yields no picture (undecodable: e.g. H.264 without parameter sets). Each is a {@code signal_loss} with
 * {@code details.reason} {@code scrambled} or {@code undecodable} and a {@code details.message}, printed once on
 * stderr too, and the detectors of that component stay quiet while it lasts: scrambled audio is not silence, and
 * scrambled video neither black nor frozen. Runs on the decoding thread.
 */
final class InputHealth implements ScrambledPids.Listener {

    /**
     * Seconds of video packets (one per picture) in a row without a picture that make video undecodable: longer than
     * the longest usual GOP, since a decoder that joins a stream shows nothing before its first keyframe.
     */
    static final double UNDECODABLE_SECONDS = 12;

    private static final String VIDEO_KEY = DefectType.SIGNAL_LOSS.id() + "/video";
    private static final String AUDIO_KEY = DefectType.SIGNAL_LOSS.id() + "/audio";

    private final DefectTracker tracker;
    private final MediaClock clock;
    private final boolean enabled;

    private int videoPid = -1;
    private int[] audioPids = new int[0];
    private StreamInfo info;
    private ScrambledPids scrambled;
    private boolean videoScrambled;
    private boolean audioScrambled;
    private boolean undecodable;
    private long packetsWithoutPicture;
    private long undecodablePackets;
    private long videoPackets;
    private boolean anyPicture;

    /** @param enabled whether signal_loss is raised; components are kept quiet either way */
    InputHealth(DefectTracker tracker, MediaClock clock, boolean enabled) {
        this.tracker = tracker;
        this.clock = clock;
        this.enabled = enabled;
    }

    /** A connection opened: watch its selected PIDs. */
    void opened(StreamDecoder decoder, TsAnalyzer transport) {
        videoPid = decoder.videoPid();
        audioPids =
                decoder.audioTracks().stream().mapToInt(AudioTrackId::streamId).toArray();
        info = decoder.streamInfo();
        double fps = info.frameRate == null ? 25 : info.frameRate;
        undecodablePackets = (long) Math.ceil(UNDECODABLE_SECONDS * Math.max(fps, 1));
        packetsWithoutPicture = 0;
        videoPackets = 0;
        anyPicture = false;
        decoder.onVideoPacket(this::videoPacket);
        scrambled = transport == null ? null : transport.scrambledPids();
        if (scrambled != null) {
            scrambled.listener(this);
        }
        update();
    }

    /** A picture came: the video decodes. */
    void picture() {
        packetsWithoutPicture = 0;
        anyPicture = true;
        if (undecodable) {
            undecodable = false;
            tracker.observe(VIDEO_KEY, DefectType.SIGNAL_LOSS, false, clock.now(), null);
        }
    }

    /** Whether the video detectors should look away (scrambled video shows nothing true). */
    boolean videoQuiet() {
        return videoScrambled;
    }

    /** Whether the audio detectors should look away: every audio track is scrambled. */
    boolean audioQuiet() {
        return audioScrambled;
    }

    /** The input ended: video read but never decoded on this connection is undecodable, however short. */
    void inputEnded() {
        if (videoPackets > 0 && !anyPicture && !undecodable && !videoScrambled) {
            markUndecodable();
        }
    }

    private void videoPacket() {
        videoPackets++;
        if (++packetsWithoutPicture >= undecodablePackets && !undecodable && !videoScrambled) {
            markUndecodable();
        }
    }

    @Override
    public void changed(int pid, boolean isScrambled) {
        update();
    }

    /** Takes the scrambling state of the selected PIDs and raises or ends what changed. */
    private void update() {
        if (scrambled == null) {
            return; // no MPEG-TS analysis: nothing says what is scrambled
        }
        boolean video = scrambled.scrambled(videoPid);
        boolean audio = audioPids.length > 0;
        for (int pid : audioPids) {
            audio = audio && scrambled.scrambled(pid);
        }
        if (video != videoScrambled) {
            videoScrambled = video;
            undecodable = false;
            observe(
                    VIDEO_KEY,
                    video,
                    DefectReason.SCRAMBLED,
                    "video PID " + videoPid + " is scrambled (conditional access)");
        }
        if (audio != audioScrambled) {
            audioScrambled = audio;
            observe(AUDIO_KEY, audio, DefectReason.SCRAMBLED, "every audio PID is scrambled (conditional access)");
        }
    }

    private void markUndecodable() {
        undecodable = true;
        observe(VIDEO_KEY, true, DefectReason.UNDECODABLE, "video yields no picture: " + whyUndecodable());
    }

    /** What the stream information says about video that decodes to nothing. */
    private String whyUndecodable() {
        String codec = info == null || info.videoCodec == null ? "video" : info.videoCodec;
        boolean noSize = info == null || info.width == null || info.width <= 0;
        if (noSize && (codec.equals("h264") || codec.equals("hevc"))) {
            return codec.equals("h264") ? "no parameter sets (SPS/PPS)" : "no parameter sets (VPS/SPS/PPS)";
        }
        return noSize
                ? "the " + codec + " stream carries no picture size (no sequence header)"
                : "the " + codec + " decoder rejects every packet";
    }

    private void observe(String key, boolean defective, String reason, String message) {
        if (!enabled) {
            return;
        }
        Map<String, Object> details = null;
        if (defective) {
            details = new LinkedHashMap<>();
            details.put("reason", reason);
            details.put("message", message);
            System.err.println("monoscope: signal lost (" + reason + "): " + message);
        }
        tracker.observe(key, DefectType.SIGNAL_LOSS, defective, clock.now(), details);
    }
}
