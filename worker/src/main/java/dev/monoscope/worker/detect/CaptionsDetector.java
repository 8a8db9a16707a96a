package dev.monoscope.worker.detect;

import dev.monoscope.api.DefectType;
import dev.monoscope.api.worker.CaptionService;
import dev.monoscope.api.worker.StreamInfo;
import dev.monoscope.worker.decode.CaptionScanner;
import dev.monoscope.worker.decode.Picture;
import dev.monoscope.worker.transport.SubtitleServices;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Caption presence. CEA-608/708 data in the video ({@link CaptionScanner}) that was there and stops for the minimum
 * duration is a {@code captions} defect of subtype {@code missing}, from the last data seen until data comes again;
 * with {@code required}, so is none within the minimum duration of the first picture. A DVB subtitle, teletext or ARIB
 * caption service that a PMT declared and a later PMT drops ({@link SubtitleServices}) is one of subtype
 * {@code service_removed} until a PMT declares it again. The services seen are listed for the report and the summary.
 */
public final class CaptionsDetector implements VideoDetector {

    static final String MISSING = "missing";
    static final String SERVICE_REMOVED = "service_removed";
    private static final String MISSING_KEY = DefectType.CAPTIONS.id() + "/" + MISSING;

    private final double minDuration;
    private final boolean required;
    /** The PMTs' subtitle services, or null when the transport is not analysed. */
    private final SubtitleServices subtitles;

    private CaptionScanner scanner;
    private int videoPid = -1;
    /** Whether the container is MPEG-TS (or HLS of it), where the video's stream id is its PID. */
    private boolean pids;

    private long seen608;
    private long seen708;
    private final Set<String> inVideo = new LinkedHashSet<>();
    /** When caption data was last seen in the video (media seconds), NaN before any. */
    private double lastSeen = Double.NaN;

    private double firstPicture = Double.NaN;
    private long subtitleChanges = -1;
    private List<CaptionService> fromPmt = List.of();
    private List<CaptionService> fromPlaylist = List.of();
    private boolean renditionsChanged;
    /** ES PIDs whose removal was raised and not yet cleared. */
    private final Set<Integer> removedRaised = new LinkedHashSet<>();

    private volatile List<CaptionService> services = List.of();
    private Consumer<List<CaptionService>> listener = s -> {};

    public CaptionsDetector(double minDurationSeconds, boolean required, SubtitleServices subtitles) {
        this.minDuration = minDurationSeconds;
        this.required = required;
        this.subtitles = subtitles;
    }

    /** Tells {@code listener} the services whenever they change (on the decode thread). */
    public void onServicesChanged(Consumer<List<CaptionService>> listener) {
        this.listener = listener;
    }

    /** The caption and subtitle services seen so far (any thread). */
    public List<CaptionService> services() {
        return services;
    }

    /** A new connection's caption data, or null when its video cannot carry A/53 captions. */
    void watch(CaptionScanner scanner, int videoPid) {
        this.scanner = scanner;
        this.videoPid = videoPid;
        seen608 = 0;
        seen708 = 0;
    }

    /** The caption renditions of the HLS master playlist of a new connection. */
    void renditions(List<CaptionService> renditions) {
        renditionsChanged |= !renditions.equals(fromPlaylist);
        fromPlaylist = List.copyOf(renditions);
    }

    @Override
    public void opened(StreamInfo info, double time, DefectSink tracker) {
        if (!Double.isNaN(lastSeen)) {
            lastSeen = time; // present before the reconnection: they have the minimum duration to come back
        }
        firstPicture = Double.NaN;
        pids = info != null && ("mpegts".equals(info.container) || "hls".equals(info.container));
    }

    @Override
    public void picture(Picture picture, double time, DefectSink tracker) {
        if (Double.isNaN(firstPicture)) {
            firstPicture = time;
        }
        boolean changed = videoData(time) | renditionsChanged;
        renditionsChanged = false;
        if (subtitles != null && subtitles.changes() != subtitleChanges) {
            subtitleChanges = subtitles.changes();
            fromPmt = subtitles.current();
            servicesRemoved(subtitles.removed(), time, tracker);
            changed = true;
        }
        if (changed) {
            publish();
        }
        missing(time, tracker);
    }

    /** Counts the caption data read since the last picture; true when a kind appeared for the first time. */
    private boolean videoData(double time) {
        if (scanner == null) {
            return false;
        }
        boolean appeared = false;
        if (scanner.cea608Packets() > seen608) {
            seen608 = scanner.cea608Packets();
            lastSeen = time;
            appeared = inVideo.add(CaptionService.CEA608);
        }
        if (scanner.cea708Packets() > seen708) {
            seen708 = scanner.cea708Packets();
            lastSeen = time;
            appeared |= inVideo.add(CaptionService.CEA708);
        }
        return appeared;
    }

    private void missing(double time, DefectSink tracker) {
        boolean seen = !Double.isNaN(lastSeen);
        if (!seen && !required) {
            return;
        }
        double from = seen ? lastSeen : firstPicture;
        boolean gone = time - from >= minDuration;
        Map<String, Object> details = null;
        if (gone) {
            details = new LinkedHashMap<>();
            if (seen) {
                details.put("kinds", new ArrayList<>(inVideo));
            } else {
                details.put("required", true);
            }
        }
        tracker.observe(MISSING_KEY, DefectType.CAPTIONS, MISSING, gone, gone ? from : time, time, details);
    }

    private void servicesRemoved(Map<Integer, List<CaptionService>> removed, double time, DefectSink tracker) {
        for (Map.Entry<Integer, List<CaptionService>> e : removed.entrySet()) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("pid", e.getKey());
            details.put(
                    "services",
                    e.getValue().stream().map(CaptionService::toString).toList());
            tracker.observe(removedKey(e.getKey()), DefectType.CAPTIONS, SERVICE_REMOVED, true, time, time, details);
            removedRaised.add(e.getKey());
        }
        removedRaised.removeIf(pid -> {
            if (removed.containsKey(pid)) {
                return false;
            }
            tracker.observe(removedKey(pid), DefectType.CAPTIONS, SERVICE_REMOVED, false, time, time, null);
            return true;
        });
    }

    private static String removedKey(int pid) {
        return DefectType.CAPTIONS.id() + "/" + SERVICE_REMOVED + "/" + pid;
    }

    private void publish() {
        List<CaptionService> all = new ArrayList<>();
        for (String kind : inVideo) {
            all.add(new CaptionService(kind, null, pids && videoPid >= 0 ? videoPid : null));
        }
        all.addAll(fromPmt);
        all.addAll(fromPlaylist);
        services = List.copyOf(all);
        listener.accept(services);
    }
}
