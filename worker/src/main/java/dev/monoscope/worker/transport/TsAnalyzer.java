package dev.monoscope.worker.transport;

import java.util.Arrays;
import java.util.Map;

/**
 * An MPEG transport stream analyser fed raw bytes in any chunking: it finds the 188-byte packets ({@link PacketSync}),
 * keeps per-PID counters as TSDuck's {@code tsanalyze} counts them ({@link TsCounters}), follows the PAT and the PMTs
 * ({@link PsiTables}), and makes the ETSI TR 101 290 priority 1 and 2 checks ({@link TsCheck}). Time for the "at
 * least every so often" checks is the stream's own ({@link StreamClock}), so that a file gives the same verdicts as the
 * same stream live. Checks that need time wait for the stream's second PCR. Not thread-safe: feed it from one thread
 * (counters may be read from others, as a snapshot that may be slightly stale). SCTE-35 sections on the PIDs a PMT
 * declares with stream type 0x86 are decoded for a {@link SpliceListener}.
 */
public final class TsAnalyzer {

    /** Told of every failed check as it is found. */
    public interface ErrorListener {
        /**
         * @param pid        the PID concerned, or -1 (sync checks)
         * @param pcrSeconds where in the stream, on its PCR clock (27 MHz PCR / 27e6, so PTS seconds too), or NaN
         *                   before the first PCR
         */
        void error(TsCheck check, int pid, double pcrSeconds);

        /** The analysis starts over (a new connection): earlier findings no longer apply. */
        default void restarted() {}
    }

    public static final int PACKET_SIZE = 188;
    public static final int PIDS = 8192;
    static final int NULL_PID = 0x1FFF;
    /** TR 101 290: PCRs at most 40 ms apart. */
    private static final long PCR_REPETITION_TICKS = 40 * StreamClock.PCR_HZ / 1000;

    static final double PTS_INTERVAL = 0.7;
    /** How often (stream seconds) the absence checks run. */
    private static final double CHECK_STEP = 0.01;

    private static final ErrorListener NO_LISTENER = (c, p, t) -> {};
    private ErrorListener listener = NO_LISTENER;
    private SpliceListener spliceListener;

    private final PacketSync sync = new PacketSync(this);
    private final TsCounters counters = new TsCounters();
    private final PsiTables tables = new PsiTables(this);
    private final StreamClock clock = new StreamClock();
    private final ScrambledPids scrambledPids = new ScrambledPids();

    // per PID
    private final byte[] lastCc = new byte[PIDS];
    private final byte[] dupRun = new byte[PIDS];
    private final long[] lastPcr = new long[PIDS];
    private final double[] ptsDeadline = new double[PIDS];

    // segment boundaries (HLS): the first continuity counter and PCR of a PID in a new segment need not follow on
    private final boolean[] freshCc = new boolean[PIDS];
    private final boolean[] freshPcr = new boolean[PIDS];
    /** HLS: the PAT and PMT checks are per segment (see {@link #segmentStarted()}). */
    private boolean segmented;

    private boolean inSegment;
    private long segmentPackets;

    private double nextCheck;

    public TsAnalyzer() {
        reset();
    }

    /** Which PIDs have series of their own in metrics and defects (for the analyser's life). */
    private final PidSeries pidSeries = new PidSeries();

    public PidSeries pidSeries() {
        return pidSeries;
    }

    public void setListener(ErrorListener listener) {
        this.listener = listener == null ? NO_LISTENER : listener;
    }

    /** Where SCTE-35 sections go; null: they are not decoded. */
    public void setSpliceListener(SpliceListener listener) {
        this.spliceListener = listener;
    }

    /** Forgets everything: a new input (or a reconnection) starts. The cumulative counts keep what was counted. */
    public void reset() {
        listener.restarted();
        scrambledPids.reset();
        counters.restart();
        sync.reset();
        Arrays.fill(lastCc, (byte) -1);
        Arrays.fill(dupRun, (byte) 0);
        Arrays.fill(lastPcr, -1);
        Arrays.fill(freshCc, false);
        Arrays.fill(freshPcr, false);
        segmented = false;
        inSegment = false;
        segmentPackets = 0;
        tables.reset();
        Arrays.fill(ptsDeadline, Double.NaN);
        clock.reset();
        nextCheck = 0;
    }

    /**
     * The next bytes come from a new segment of the same stream (HLS). A segment need not continue the last one where
     * it ended (a packager that restarts its counters per segment, a segment skipped because it left the playlist), so
     * the boundary is soft: when a PID's first continuity counter in the segment does not follow on, its count starts
     * over without an error, as at a discontinuity_indicator (so a packet lost exactly at a boundary goes unseen); a
     * PCR that does not follow the last one within 100 ms starts a new timeline (no PCR error, the stream clock
     * holds). Counters and PCRs that do follow on are checked as within a segment, and the stream clock runs on, so
     * the PTS and PID checks span segments. The PAT and PMT checks become per segment, as HLS has it (a segment starts
     * with a PAT and PMT, and may last 10 s without another): a segment that carried no PAT is a PAT error, one without
     * the PMT of a programme seen before a PMT error, found at its end ({@link #segmentEnded()}); the 0.5 s repetition
     * is not checked. A partial packet at the end of the last segment is dropped.
     */
    public void segmentStarted() {
        segmentEnded();
        segmented = true;
        inSegment = true;
        segmentPackets = 0;
        tables.patInSegment = false;
        Arrays.fill(tables.pmtInSegment, false);
        sync.dropPartial();
        Arrays.fill(freshCc, true);
        Arrays.fill(freshPcr, true);
        clock.segmentStarted();
    }

    /** The segment being read ended (or was abandoned): its PAT and PMTs are checked, if it had any packet. */
    public void segmentEnded() {
        if (!inSegment) {
            return;
        }
        inSegment = false;
        if (segmentPackets == 0) {
            return;
        }
        if (!tables.patInSegment) {
            error(TsCheck.PAT_ERROR, 0, sync.bytePos());
        }
        for (int pid : tables.pmtPids) {
            if (!Double.isNaN(tables.pmtDeadline[pid]) && !tables.pmtInSegment[pid]) { // NaN: its PMT never seen
                error(TsCheck.PMT_ERROR, pid, sync.bytePos());
            }
        }
    }

    /** The subtitle services the PMTs declare. */
    public SubtitleServices subtitleServices() {
        return tables.subtitles;
    }

    /** Which PIDs are scrambled (conditional access). */
    public ScrambledPids scrambledPids() {
        return scrambledPids;
    }

    /** Analyses the next bytes of the stream. */
    public void feed(byte[] b, int off, int len) {
        sync.feed(b, off, len);
    }

    /** A packet with a good sync byte, at byte {@code pos} of the stream. */
    void analyse(byte[] p, long pos) {
        counters.totalPackets++;
        int pid = ((p[1] & 0x1F) << 8) | (p[2] & 0xFF);
        clock.packetAt(pos);
        if ((p[1] & 0x80) != 0) {
            // transport_error_indicator: the demodulator could not correct this packet; TSDuck drops it too
            counters.transportErrors++;
            error(TsCheck.TRANSPORT_ERROR, pid, pos);
            return;
        }
        counters.packets[pid]++;
        segmentPackets++;
        boolean pusi = (p[1] & 0x40) != 0;
        int scrambling = (p[3] >> 6) & 3;
        boolean hasAf = (p[3] & 0x20) != 0;
        boolean hasPayload = (p[3] & 0x10) != 0;
        int cc = p[3] & 0x0F;
        int afLen = hasAf ? p[4] & 0xFF : 0;
        boolean discontinuity = afLen > 0 && (p[5] & 0x80) != 0;
        boolean hasPcr = afLen >= 7 && (p[5] & 0x10) != 0;

        int continuity = continuity(pid, cc, hasPayload, discontinuity, pos);
        boolean ccBroken = (continuity & CC_BROKEN) != 0;
        boolean duplicate = (continuity & DUPLICATE) != 0;

        if (hasPcr) {
            long base = ((p[6] & 0xFFL) << 25)
                    | ((p[7] & 0xFF) << 17)
                    | ((p[8] & 0xFF) << 9)
                    | ((p[9] & 0xFF) << 1)
                    | ((p[10] & 0xFF) >> 7);
            long pcr = base * 300 + (((p[10] & 1) << 8) | (p[11] & 0xFF));
            counters.pcrs[pid]++;
            checkPcr(pid, pcr, discontinuity, pos);
            clock.pcr(pid, pcr, discontinuity, pos);
        }

        int payload = 4 + (hasAf ? 1 + afLen : 0);
        if (hasPayload && payload < PACKET_SIZE) {
            scrambledPids.packet(pid, scrambling != 0);
            if (pusi && scrambling == 0) { // a scrambled payload's PES header is scrambled too
                pesHeader(pid, p, payload);
            }
            if (pid == 0 && scrambling != 0) {
                error(TsCheck.PAT_ERROR, 0, pos);
            } else if (tables.pmtPid[pid] && scrambling != 0) {
                error(TsCheck.PMT_ERROR, pid, pos);
            } else if (tables.carriesSections(pid) && !duplicate) {
                tables.psi(pid, p, payload, pusi, ccBroken, pos);
            }
        }
        if (tables.avPid[pid]) {
            tables.pidDeadline[pid] = clock.now() + PsiTables.PID_ABSENCE;
        }
        if (clock.running() && clock.now() >= nextCheck) {
            nextCheck = clock.now() + CHECK_STEP;
            checkAbsences(pos);
        }
    }

    /** {@link #continuity}: a lost packet broke the PID's continuity (or none came before). */
    private static final int CC_BROKEN = 1;
    /** {@link #continuity}: the packet repeats the last one. */
    private static final int DUPLICATE = 2;

    /** Continuity, as TSDuck counts it; TR 101 290 also allows a duplicate only once. */
    private int continuity(int pid, int cc, boolean hasPayload, boolean discontinuity, long pos) {
        boolean ccBroken = false;
        boolean duplicate = false;
        if (pid != NULL_PID) {
            int last = lastCc[pid];
            if (freshCc[pid]) {
                freshCc[pid] = false;
                dupRun[pid] = 0;
                if (last >= 0 && !discontinuity && (hasPayload ? cc != ((last + 1) & 0x0F) : cc != last)) {
                    last = -1; // a new segment that does not follow on: counting starts over
                }
            }
            if (last < 0) {
                ccBroken = true; // first packet: no section in progress
            } else if (discontinuity) {
                dupRun[pid] = 0;
                ccBroken = true;
            } else if (hasPayload) {
                if (cc == last) {
                    counters.duplicated[pid]++;
                    duplicate = true;
                    if (++dupRun[pid] > 1) {
                        error(TsCheck.CONTINUITY_COUNT_ERROR, pid, pos);
                        dupRun[pid] = 1;
                    }
                } else {
                    dupRun[pid] = 0;
                    if (cc != ((last + 1) & 0x0F)) {
                        counters.discontinuities[pid]++;
                        ccBroken = true;
                        error(TsCheck.CONTINUITY_COUNT_ERROR, pid, pos);
                    }
                }
            } else if (cc != last) {
                counters.discontinuities[pid]++;
                error(TsCheck.CONTINUITY_COUNT_ERROR, pid, pos);
            }
            lastCc[pid] = (byte) cc;
        }
        return (ccBroken ? CC_BROKEN : 0) | (duplicate ? DUPLICATE : 0);
    }

    /** Counts PTSs as TSDuck does: in a PES header that starts in this packet, MPEG-2 syntax. */
    private void pesHeader(int pid, byte[] p, int i) {
        if (PACKET_SIZE - i < 14 || p[i] != 0 || p[i + 1] != 0 || p[i + 2] != 1) {
            return;
        }
        int sid = p[i + 3] & 0xFF;
        boolean longHeader = sid != 0xBC
                && sid != 0xBE
                && sid != 0xBF
                && sid != 0xF0
                && sid != 0xF1
                && sid != 0xF2
                && sid != 0xF8
                && sid != 0xFF;
        if (!longHeader || (p[i + 6] & 0xC0) != 0x80) {
            return;
        }
        int flags = p[i + 7] & 0xC0;
        if ((flags & 0x80) != 0) {
            counters.ptss[pid]++;
            if (tables.avPid[pid]) {
                ptsDeadline[pid] = clock.now() + PTS_INTERVAL;
            }
        }
    }

    private void checkPcr(int pid, long pcr, boolean discontinuity, long pos) {
        long last = lastPcr[pid];
        lastPcr[pid] = pcr;
        boolean fresh = freshPcr[pid];
        freshPcr[pid] = false;
        if (last < 0 || discontinuity) {
            return;
        }
        long d = Math.floorMod(pcr - last, StreamClock.PCR_WRAP);
        if (fresh && d > StreamClock.PCR_DISCONTINUITY_TICKS) {
            return; // a new segment on a new timeline
        }
        if (d > StreamClock.PCR_WRAP / 2 || d > StreamClock.PCR_DISCONTINUITY_TICKS) {
            error(TsCheck.PCR_DISCONTINUITY_INDICATOR_ERROR, pid, pos);
        } else if (d > PCR_REPETITION_TICKS) {
            error(TsCheck.PCR_REPETITION_ERROR, pid, pos);
        }
    }

    private void checkAbsences(long pos) {
        double now = clock.now();
        if (!segmented && now > tables.patDeadline) {
            error(TsCheck.PAT_ERROR, 0, pos);
            tables.patDeadline = now + PsiTables.PAT_PMT_INTERVAL;
        }
        for (int pid : tables.pmtPids) {
            if (!segmented && now > tables.pmtDeadline[pid]) { // NaN (no PMT yet) compares false
                error(TsCheck.PMT_ERROR, pid, pos);
                tables.pmtDeadline[pid] = now + PsiTables.PAT_PMT_INTERVAL;
            }
        }
        for (int pid : tables.avPids) {
            if (now > tables.pidDeadline[pid]) {
                error(TsCheck.PID_ERROR, pid, pos);
                tables.pidDeadline[pid] = now + PsiTables.PID_ABSENCE;
            }
            if (scrambledPids.scrambled(pid) && !Double.isNaN(ptsDeadline[pid])) {
                ptsDeadline[pid] = now + PTS_INTERVAL; // its PTS are in the scrambled payload: unreadable, not missing
            } else if (now > ptsDeadline[pid]) { // NaN (no PTS yet) compares false
                error(TsCheck.PTS_ERROR, pid, pos);
                ptsDeadline[pid] = now + PTS_INTERVAL;
            }
        }
    }

    void error(TsCheck check, int pid, long pos) {
        counters.failed(check, pid);
        listener.error(check, pid, clock.pcrSeconds(pos));
    }

    /** A whole section on a PID declared with stream type 0x86, at byte {@code pos}. */
    void spliceSection(int pid, byte[] d, int len, long pos) {
        if (spliceListener == null) {
            return;
        }
        try {
            spliceListener.splice(pid, SpliceInfoSection.parse(d, 0, len), clock.pcrSeconds(pos));
        } catch (SpliceInfoSection.Invalid e) {
            spliceListener.invalidSplice(pid, e, clock.pcrSeconds(pos));
        }
    }

    /** The PIDs the PMTs seen so far declare as SCTE-35 (stream type 0x86). */
    public int[] scte35Pids() {
        return tables.scte35Pids.clone();
    }

    /** The stream's own time since the analysis began, seconds (from its PCRs). */
    double now() {
        return clock.now();
    }

    /** The counts, per connection and cumulative. */
    public TsCounters counters() {
        return counters;
    }

    /** The video PIDs the PMTs seen so far list. */
    public int[] videoPids() {
        return tables.videoPids.clone();
    }

    /** Packets seen, including those with a bad sync byte or the transport error indicator. */
    public long totalPackets() {
        return counters.totalPackets();
    }

    /**
     * The figures for a report: packets, sync and transport errors, per PID packets, PCRs, PTSs, continuity
     * discontinuities and duplicates, and the failures of each check that failed.
     */
    public Map<String, Object> summary() {
        Map<String, Object> summary = counters.summary();
        if (tables.scte35Pids.length > 0) {
            summary.put("scte35Pids", Arrays.stream(tables.scte35Pids).boxed().toList());
        }
        return summary;
    }
}
