package dev.monoscope.worker.monitor;

import dev.monoscope.api.v1alpha1.DetectorsSpec;
import dev.monoscope.api.worker.WorkerConfig;
import dev.monoscope.worker.source.TlsSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What one monitor watches and how: the source and its programme/tracks, detector thresholds, decoder mode, plus
 * what only the command line sets (local files, evidence folder, pacing, giving up when the input never opens).
 */
public final class MonitorSettings {

    /** What to do at the end of the input. */
    public enum EndOfInput {
        /** Stop when the input has a known length (file, VOD); otherwise it is a live stream that went away. */
        AUTO,
        /** Always reconnect (a pod's stream must come back). */
        RECONNECT
    }

    /** A PEM bundle of the CAs a pod trusts for its source (until the configuration document carries it). */
    public static final String ENV_CA_FILE = "MONOSCOPE_CA_FILE";
    /** "true": a pod does not verify its source's certificate (until the configuration document carries it). */
    public static final String ENV_INSECURE_SKIP_TLS_VERIFY = "MONOSCOPE_INSECURE_SKIP_TLS_VERIFY";

    public String url;
    public String username;
    public String password;
    public boolean allowLocalFiles;
    /** How TLS origins are checked: verified against the system's CA bundle unless told otherwise. */
    public TlsSettings tls = TlsSettings.DEFAULT;

    public Integer program;
    public List<Integer> audioTracks;
    public DetectorsSpec detectors = new DetectorsSpec();
    /** auto, cpu or gpu. */
    public String decoder = "auto";

    public int shardIndex;
    public int shardCount = 1;
    /** Saves a JPEG of the first frame of every video defect and a clip around every video or audio defect here. */
    public Path evidenceDir;
    /** The evidence folder's size cap: the oldest files go first. */
    public long evidenceMaxBytes = 1L << 30;
    /** Paces a file at its own frame rate, as if it were live; otherwise files go as fast as possible. */
    public boolean realtime;

    public EndOfInput endOfInput = EndOfInput.AUTO;
    /** Return from run() when the very first open fails (the command line); a pod keeps trying. */
    public boolean giveUpIfNeverOpened;
    /** Decoding threads: the CPUs this container may use. */
    public int decoderThreads = Runtime.getRuntime().availableProcessors();
    /**
     * Test seam, no CLI flag: the video decoder fails after this many pictures, so that tests exercise the failover
     * to the CPU without a GPU (StreamDecoder#failVideoDecoderAfter). 0: never.
     */
    public long failDecoderAfterPictures;

    /** Settings for a worker pod: its configuration document plus the credentials from the environment. */
    public static MonitorSettings fromConfig(WorkerConfig config, Map<String, String> env) {
        MonitorSettings s = new MonitorSettings();
        if (config.source != null) {
            s.url = config.source.url;
            s.program = config.source.program;
            s.audioTracks = config.source.audioTracks;
        }
        if (config.detectors != null) {
            s.detectors = config.detectors;
        }
        if (config.decoder != null) {
            s.decoder = config.decoder;
        }
        if (config.shard != null) {
            s.shardIndex = config.shard.index;
            s.shardCount = config.shard.count;
        }
        if (config.evidence != null && config.evidence.dir != null && !config.evidence.dir.isBlank()) {
            s.evidenceDir = Path.of(config.evidence.dir);
            s.evidenceMaxBytes = config.evidence.maxBytes == null ? s.evidenceMaxBytes : config.evidence.maxBytes;
        }
        s.username = env.get(WorkerConfig.ENV_SOURCE_USERNAME);
        s.password = env.get(WorkerConfig.ENV_SOURCE_PASSWORD);
        s.tls = TlsSettings.of(
                "true".equalsIgnoreCase(env.get(ENV_INSECURE_SKIP_TLS_VERIFY)),
                env.get(ENV_CA_FILE) == null || env.get(ENV_CA_FILE).isBlank() ? null : Path.of(env.get(ENV_CA_FILE)));
        s.endOfInput = EndOfInput.RECONNECT;
        return s;
    }

    /** The signal-loss timeout as a duration. */
    public Duration signalTimeout() {
        return Duration.ofMillis(Math.round(signalTimeoutSeconds() * 1000));
    }

    /** Seconds without data before the signal counts as lost. */
    public double signalTimeoutSeconds() {
        var spec = detectors.signalLoss;
        return spec != null && spec.timeoutSeconds != null ? spec.timeoutSeconds : 3.0;
    }
}
