package dev.monoscope.api.worker;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a worker serves at {@code GET /api/v1/report} (docs/architecture.md, "Worker report"). {@code version}
 * increases only when state changes (a defect starts or ends, the connection, the stream's format or the decoder
 * changes), never for counters, so that the operator writes to the API only when something a user sees changed.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WorkerReport {

    /** Keep this many ended defects in {@link #recentDefects}. */
    public static final int RECENT_DEFECTS = 50;

    /** Random per worker process. */
    public String instanceId;

    public long version;

    public boolean connected;

    public StreamInfo stream;

    public DecoderInfo decoder;

    /** The detector keys this shard runs (e.g. black, freeze, signalLoss). */
    public List<String> detectors = new ArrayList<>();

    /**
     * Detectors that run with reduced coverage, by key, and why (e.g. {@code corruption} on a CUDA decoder, which
     * reports no decode errors); absent when every detector has full coverage.
     */
    public Map<String, String> reducedCoverage;

    /**
     * The UID of the pod the worker runs in ({@code MONOSCOPE_POD_UID}, from the downward API), so that the
     * operator takes a report only from the pod it asked; absent outside a pod.
     */
    public String podUid;

    /** This worker's shard, from 0, and the shard count. */
    public Integer shardIndex;

    public Integer shardCount;

    /** The caption and subtitle services seen in the stream (state: a change bumps the version); absent before any. */
    public List<CaptionService> captions;

    public List<Defect> activeDefects = new ArrayList<>();

    /** The last {@value #RECENT_DEFECTS} ended defects, oldest first. */
    public List<Defect> recentDefects = new ArrayList<>();

    /** The last defect id issued by this instance (0 before the first). */
    public long defectSeq;

    /** Seconds on the media clock reached so far (a counter: does not bump the version). */
    public Double mediaTime;

    /** Current values: framesDecoded, videoFrames, audioFrames, decodeErrors, reconnects, … */
    public Map<String, Long> counters = new LinkedHashMap<>();

    /** Keep this many SCTE-35 cues in {@link #lastCues}. */
    public static final int LAST_CUES = 10;

    /** The last {@value #LAST_CUES} SCTE-35 cues (transport stream and HLS playlist), oldest first. */
    public List<Cue> lastCues;

    /**
     * HLS delivery, from the worker's own fetches of the variant it monitors: {@code variant} (its playlist),
     * {@code mediaSequence}, {@code targetDurationSeconds}, {@code playlistReloads}, {@code reloadIntervalSeconds} (the
     * last), {@code discontinuities}, {@code segmentsFetched}, {@code segmentFetchSeconds} (the last),
     * {@code segmentErrors}, {@code retries}; absent for other inputs.
     */
    public Map<String, Object> delivery;
    /** Every audio track's level now, by track (a counter: does not bump the version). */
    public List<AudioLevel> audioLevels;

    /** A fatal problem the user must fix (e.g. unsupported codec), absent otherwise. */
    public String error;
}
