package dev.monoscope.worker.monitor;

import dev.monoscope.api.DefectType;
import dev.monoscope.api.worker.Defect;
import dev.monoscope.api.worker.Evidence;
import dev.monoscope.worker.decode.PacketRing;
import dev.monoscope.worker.decode.StreamDecoder;
import dev.monoscope.worker.defect.DefectListener;
import dev.monoscope.worker.report.EvidenceFolder;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The clips of the evidence: for every video or audio defect, the seconds around its start remuxed from the
 * connection's ring of packets ({@link PacketRing}), from the keyframe at or before start − {@value #AROUND} s to
 * start + {@value #AROUND} s. The outputs hear of a clip once it is written ({@link DefectListener#evidenceWritten}).
 */
final class EvidenceClips {

    static final double AROUND = 5;
    /**
     * How far back the ring reaches: a clip starts at the keyframe before start - {@value #AROUND} s, and a defect is
     * raised after its minimum duration (up to 10 s by default), so this covers a GOP of several seconds.
     */
    private static final double RING_SECONDS = 30;
    /** At 8 Mb/s the ring holds about 30 MiB; a higher bitrate shortens it. */
    private static final long RING_BYTES = 40L << 20;

    private static final Set<DefectType> CLIPPED = EnumSet.of(
            DefectType.BLACK,
            DefectType.FREEZE,
            DefectType.SILENCE,
            DefectType.CORRUPTION,
            DefectType.AV_SYNC,
            DefectType.LOUDNESS,
            DefectType.CLIPPING,
            DefectType.FRAME_DROP,
            DefectType.FORMAT_CHANGE);

    /** Kept for the defects' ends and the clips' writing; the oldest are forgotten. */
    private static final int PLANNED = 256;

    private final EvidenceFolder folder;
    private final List<DefectListener> outputs;
    private final Map<Long, Evidence> planned = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Evidence> eldest) {
            return size() > PLANNED;
        }
    };
    private PacketRing ring;
    /** Media clock minus the streams' clock, from the last frame; NaN before one. */
    private double offset = Double.NaN;

    EvidenceClips(EvidenceFolder folder, List<DefectListener> outputs) {
        this.folder = folder;
        this.outputs = outputs;
    }

    /** A connection opened: its packets are kept from now on. */
    void connected(StreamDecoder decoder) {
        ring = decoder.record(RING_SECONDS, RING_BYTES);
        offset = Double.NaN;
    }

    /** A frame at media time {@code t} has stream time {@code pts}. */
    void mediaAt(double t, double pts) {
        offset = t - pts;
    }

    /** The evidence of a defect just raised, with its JPEG ({@code jpeg}, or null); asks for its clip. */
    Evidence plan(Defect defect, String jpeg) {
        Evidence e = new Evidence();
        e.jpeg = jpeg;
        if (CLIPPED.contains(DefectType.fromId(defect.type).orElse(DefectType.SIGNAL_LOSS))
                && ring != null
                && !Double.isNaN(offset)) {
            String base = EvidenceFolder.baseName(defect.id, defect.type, defect.start);
            e.clip = base + ".ts";
            e.mp4 = base + ".mp4";
            double from = defect.start - offset - AROUND;
            double to = defect.start - offset + AROUND;
            long id = defect.id;
            ring.clip(
                    new PacketRing.Clip(
                            from, to, folder.dir().resolve(e.clip), folder.dir().resolve(e.mp4)),
                    written -> written(id, written));
        }
        if (e.jpeg == null && e.clip == null) {
            return null;
        }
        planned.put(defect.id, e);
        return e.copy();
    }

    /** The evidence planned for defect {@code id}, or null. */
    Evidence planned(long id) {
        Evidence e = planned.get(id);
        return e == null ? null : e.copy();
    }

    private void written(long id, PacketRing.Written w) {
        Evidence e = planned.get(id);
        if (e == null) {
            return;
        }
        if (!w.ts()) {
            e.clip = null;
        }
        if (!w.mp4()) {
            e.mp4 = null;
        }
        if (w.ts() || w.mp4()) {
            e.clipStart = round(w.start() + offset);
            e.clipEnd = round(w.end() + offset);
        }
        folder.keepUnderCap();
        for (DefectListener l : outputs) {
            l.evidenceWritten(id, e.copy());
        }
    }

    private static double round(double t) {
        return Math.round(t * 1000) / 1000.0;
    }
}
