package dev.monoscope.worker.transport;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An MPEG transport stream analyser fed raw bytes in any chunking: it finds the 188-byte packets (resyncing on 0x47),
 * keeps per-PID counters as TSDuck's {@code tsanalyze} counts them (packets, PCRs, PTSs, DTSs, continuity
 * discontinuities, duplicates), follows the PAT and the PMTs, and makes the ETSI TR 101 290 priority 1 and 2 checks
 * ({@link TsCheck}). Time for the "at least every so often" checks is the stream's own: PCR values, and bytes since
 * the last PCR at the rate between the last two, so that a file gives the same verdicts as the same stream live.
 * Checks that need time wait for the stream's second PCR. Not thread-safe: feed it from one thread (counters may be
 * read from others, as a snapshot that may be slightly stale).
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
    static final int PIDS = 8192;
    static final int NULL_PID = 0x1FFF;
    private static final byte SYNC = 0x47;
    /** PCR values wrap at 2^33 × 300 ticks of 27 MHz. */
    private static final long PCR_WRAP = (1L << 33) * 300;

    private static final long PCR_HZ = 27_000_000L;
    /** TR 101 290: PCRs at most 40 ms apart; over 100 ms (or backwards) without the indicator is a discontinuity. */
    private static final long PCR_REPETITION_TICKS = 40 * PCR_HZ / 1000;

    private static final long PCR_DISCONTINUITY_TICKS = 100 * PCR_HZ / 1000;
    static final double PAT_PMT_INTERVAL = 0.5;
    static final double PTS_INTERVAL = 0.7;
    /** A PMT-referenced audio or video PID absent this long is a PID error (TR 101 290 leaves the period to users). */
    static final double PID_ABSENCE = 5.0;
    /** How often (stream seconds) the absence checks run. */
    private static final double CHECK_STEP = 0.01;
    /** TR 101 290: five correct sync bytes acquire sync, two wrong in a row lose it. */
    private static final int SYNC_ACQUIRE = 5;

    private static final int SYNC_LOSE = 2;
    private static final int MAX_SECTION = 4096 + 3;

    private static final ErrorListener NO_LISTENER = (c, p, t) -> {};
    private ErrorListener listener = NO_LISTENER;

    // packet sync
    private final byte[] pkt = new byte[PACKET_SIZE];
    private int fill;
    private boolean locked;
    /** Lost sync once: until relocked, packets are not analysed (a chance 0x47 is not a packet). */
    private boolean lostOnce;

    private int goodRun;
    private int badRun;
    private long bytePos;
    private long totalPackets;
    private long invalidSyncs;
    private long transportErrors;

    // per PID
    private final long[] packets = new long[PIDS];
    private final long[] pcrs = new long[PIDS];
    private final long[] ptss = new long[PIDS];
    private final long[] dtss = new long[PIDS];
    private final long[] discontinuities = new long[PIDS];
    private final long[] duplicated = new long[PIDS];
    private final byte[] lastCc = new byte[PIDS];
    private final byte[] dupRun = new byte[PIDS];
    private final long[] lastPcr = new long[PIDS];
    private final long[][] errors = new long[TsCheck.values().length][PIDS];
    private final long[] errorTotals = new long[TsCheck.values().length];

    /** Counts of earlier connections, kept so that the cumulative figures (metrics) never go down. */
    private final Object carriedLock = new Object();

    private long carriedTotalPackets;
    private final long[] carriedPackets = new long[PIDS];
    private final long[] carriedDiscontinuities = new long[PIDS];
    private final long[][] carriedErrors = new long[TsCheck.values().length][PIDS];
    private final long[] carriedErrorTotals = new long[TsCheck.values().length];

    // segment boundaries (HLS): the first continuity counter and PCR of a PID in a new segment need not follow on
    private final boolean[] freshCc = new boolean[PIDS];
    private final boolean[] freshPcr = new boolean[PIDS];
    private boolean freshClock;
    /** HLS: the PAT and PMT checks are per segment (see {@link #segmentStarted()}). */
    private boolean segmented;

    private boolean inSegment;
    private long segmentPackets;
    private boolean patInSegment;
    private final boolean[] pmtInSegment = new boolean[PIDS];

    // tables
    private final Section[] sections = new Section[PIDS];
    private final boolean[] pmtPid = new boolean[PIDS];
    private final double[] pmtDeadline = new double[PIDS];
    private int[] pmtPids = new int[0];
    /** PMT-referenced audio and video PIDs: watched for absence (PID error) and PTS repetition. */
    private final boolean[] avPid = new boolean[PIDS];

    private int[] avPids = new int[0];
    private int[] videoPids = new int[0];
    private final double[] pidDeadline = new double[PIDS];
    private final double[] ptsDeadline = new double[PIDS];
    private double patDeadline;

    // stream clock
    private int clockPid;
    private long clockPcr;
    private long clockPos;
    private double clockTime;
    private double byteRate;
    /** The last interval between PCRs, seconds: bytes after a PCR are timed no further than that (VBR bursts). */
    private double clockStep;

    private double now;
    private double nextCheck;

    /** A PSI section being collected from the packets of one PID. */
    private static final class Section {
        final byte[] data = new byte[MAX_SECTION];
        int len;
        int total;
        boolean collecting;

        void start() {
            len = 0;
            total = 0;
            collecting = true;
        }
    }

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

    /** Forgets everything: a new input (or a reconnection) starts. The cumulative counts keep what was counted. */
    public void reset() {
        listener.restarted();
        synchronized (carriedLock) {
            carriedTotalPackets += totalPackets;
            totalPackets = 0;
            for (int pid = 0; pid < PIDS; pid++) {
                carriedPackets[pid] += packets[pid];
                carriedDiscontinuities[pid] += discontinuities[pid];
                packets[pid] = 0;
                discontinuities[pid] = 0;
            }
            for (int c = 0; c < errors.length; c++) {
                for (int pid = 0; pid < PIDS; pid++) {
                    carriedErrors[c][pid] += errors[c][pid];
                    errors[c][pid] = 0;
                }
                carriedErrorTotals[c] += errorTotals[c];
                errorTotals[c] = 0;
            }
        }
        fill = 0;
        locked = false;
        lostOnce = false;
        goodRun = 0;
        badRun = 0;
        bytePos = 0;
        invalidSyncs = 0;
        transportErrors = 0;
        Arrays.fill(pcrs, 0);
        Arrays.fill(ptss, 0);
        Arrays.fill(dtss, 0);
        Arrays.fill(duplicated, 0);
        Arrays.fill(lastCc, (byte) -1);
        Arrays.fill(dupRun, (byte) 0);
        Arrays.fill(lastPcr, -1);
        Arrays.fill(freshCc, false);
        Arrays.fill(freshPcr, false);
        freshClock = false;
        segmented = false;
        inSegment = false;
        segmentPackets = 0;
        patInSegment = false;
        Arrays.fill(pmtInSegment, false);
        Arrays.fill(sections, null);
        sections[0] = new Section(); // PAT
        sections[1] = new Section(); // CAT
        Arrays.fill(pmtPid, false);
        Arrays.fill(pmtDeadline, Double.NaN);
        pmtPids = new int[0];
        Arrays.fill(avPid, false);
        avPids = new int[0];
        videoPids = new int[0];
        Arrays.fill(pidDeadline, Double.NaN);
        Arrays.fill(ptsDeadline, Double.NaN);
        patDeadline = PAT_PMT_INTERVAL;
        clockPid = -1;
        clockPcr = -1;
        clockPos = 0;
        clockTime = 0;
        byteRate = 0;
        clockStep = 0;
        now = 0;
        nextCheck = 0;
    }

    /**
     * The next bytes come from a new segment of the same stream (HLS). A segment need not continue the last one where
     * it ended (a packager that restarts its counters per segment, a segment skipped because it left the playlist), so
     * the boundary is soft: when a PID's first continuity counter in the segment does not follow on, its count starts
     * over without an error, as at a discontinuity_indicator (so a packet lost exactly at a boundary goes unseen); a
     * PCR that does not follow the last one within 100 ms starts a new timeline (no PCR error, the stream clock
     * holds). Counters and PCRs that do follow on are checked as within a segment, and the stream clock runs on, so
     * the PTS and PID checks span segments. The PAT and PMT checks become per segment, as HLS has it (a segment starts with a PAT and PMT, and may last 10 s without
     * another): a segment that carried no PAT is a PAT error, one without the PMT of a programme seen before a PMT
     * error, found at its end ({@link #segmentEnded()}); the 0.5 s repetition is not checked. A partial packet at the
     * end of the last segment is dropped.
     */
    public void segmentStarted() {
        segmentEnded();
        segmented = true;
        inSegment = true;
        segmentPackets = 0;
        patInSegment = false;
        Arrays.fill(pmtInSegment, false);
        fill = 0;
        Arrays.fill(freshCc, true);
        Arrays.fill(freshPcr, true);
        freshClock = true;
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
        if (!patInSegment) {
            error(TsCheck.PAT_ERROR, 0, bytePos);
        }
        for (int pid : pmtPids) {
            if (!Double.isNaN(pmtDeadline[pid]) && !pmtInSegment[pid]) { // NaN: its PMT never seen
                error(TsCheck.PMT_ERROR, pid, bytePos);
            }
        }
    }

    /** Analyses the next bytes of the stream. */
    public void feed(byte[] b, int off, int len) {
        int end = off + len;
        while (off < end) {
            if (fill == 0 && !locked) {
                int start = off;
                while (off < end && b[off] != SYNC) {
                    off++;
                }
                bytePos += off - start;
                if (off == end) {
                    return;
                }
            }
            int n = Math.min(PACKET_SIZE - fill, end - off);
            System.arraycopy(b, off, pkt, fill, n);
            fill += n;
            off += n;
            bytePos += n;
            if (fill == PACKET_SIZE) {
                fill = 0;
                packet(bytePos - PACKET_SIZE);
            }
        }
    }

    private void packet(long pos) {
        if (pkt[0] == SYNC) {
            badRun = 0;
            if (!locked && ++goodRun >= SYNC_ACQUIRE) {
                locked = true;
            }
            if (locked || !lostOnce) {
                analyse(pkt, pos);
            }
            return;
        }
        totalPackets++;
        invalidSyncs++;
        if (locked) {
            error(TsCheck.SYNC_BYTE_ERROR, -1, pos);
            if (++badRun < SYNC_LOSE) {
                return; // one bad sync byte: keep the alignment, drop the packet
            }
            locked = false;
            lostOnce = true;
            error(TsCheck.TS_SYNC_LOSS, -1, pos);
        }
        goodRun = 0;
        badRun = 0;
        // hunt for the next sync byte within what we have
        int k = 1;
        while (k < PACKET_SIZE && pkt[k] != SYNC) {
            k++;
        }
        if (k < PACKET_SIZE) {
            System.arraycopy(pkt, k, pkt, 0, PACKET_SIZE - k);
            fill = PACKET_SIZE - k;
        }
    }

    private void analyse(byte[] p, long pos) {
        totalPackets++;
        int pid = ((p[1] & 0x1F) << 8) | (p[2] & 0xFF);
        if (byteRate > 0) {
            now = Math.max(now, clockTime + sinceClock(pos));
        }
        if ((p[1] & 0x80) != 0) {
            // transport_error_indicator: the demodulator could not correct this packet; TSDuck drops it too
            transportErrors++;
            error(TsCheck.TRANSPORT_ERROR, pid, pos);
            return;
        }
        packets[pid]++;
        segmentPackets++;
        boolean pusi = (p[1] & 0x40) != 0;
        int scrambling = (p[3] >> 6) & 3;
        boolean hasAf = (p[3] & 0x20) != 0;
        boolean hasPayload = (p[3] & 0x10) != 0;
        int cc = p[3] & 0x0F;
        int afLen = hasAf ? p[4] & 0xFF : 0;
        boolean discontinuity = afLen > 0 && (p[5] & 0x80) != 0;
        boolean hasPcr = afLen >= 7 && (p[5] & 0x10) != 0;

        // continuity, as TSDuck counts it; TR 101 290 also allows a duplicate only once
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
                    duplicated[pid]++;
                    duplicate = true;
                    if (++dupRun[pid] > 1) {
                        error(TsCheck.CONTINUITY_COUNT_ERROR, pid, pos);
                        dupRun[pid] = 1;
                    }
                } else {
                    dupRun[pid] = 0;
                    if (cc != ((last + 1) & 0x0F)) {
                        discontinuities[pid]++;
                        ccBroken = true;
                        error(TsCheck.CONTINUITY_COUNT_ERROR, pid, pos);
                    }
                }
            } else if (cc != last) {
                discontinuities[pid]++;
                error(TsCheck.CONTINUITY_COUNT_ERROR, pid, pos);
            }
            lastCc[pid] = (byte) cc;
        }

        if (hasPcr) {
            long base = ((p[6] & 0xFFL) << 25)
                    | ((p[7] & 0xFF) << 17)
                    | ((p[8] & 0xFF) << 9)
                    | ((p[9] & 0xFF) << 1)
                    | ((p[10] & 0xFF) >> 7);
            long pcr = base * 300 + (((p[10] & 1) << 8) | (p[11] & 0xFF));
            pcrs[pid]++;
            checkPcr(pid, pcr, discontinuity, pos);
            clock(pid, pcr, discontinuity, pos);
        }

        int payload = 4 + (hasAf ? 1 + afLen : 0);
        if (hasPayload && payload < PACKET_SIZE) {
            if (pusi) {
                pesHeader(pid, p, payload);
            }
            if (pid == 0 && scrambling != 0) {
                error(TsCheck.PAT_ERROR, 0, pos);
            } else if (pmtPid[pid] && scrambling != 0) {
                error(TsCheck.PMT_ERROR, pid, pos);
            } else if (sections[pid] != null && !duplicate) {
                psi(pid, p, payload, pusi, ccBroken, pos);
            }
        }
        if (avPid[pid]) {
            pidDeadline[pid] = now + PID_ABSENCE;
        }
        if (byteRate > 0 && now >= nextCheck) {
            nextCheck = now + CHECK_STEP;
            checkAbsences(pos);
        }
    }

    /** Counts PTS and DTS as TSDuck does: in a PES header that starts in this packet, MPEG-2 syntax. */
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
            ptss[pid]++;
            if (avPid[pid]) {
                ptsDeadline[pid] = now + PTS_INTERVAL;
            }
        }
        if (flags == 0xC0 && PACKET_SIZE - i >= 19) {
            dtss[pid]++;
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
        long d = Math.floorMod(pcr - last, PCR_WRAP);
        if (fresh && d > PCR_DISCONTINUITY_TICKS) {
            return; // a new segment on a new timeline
        }
        if (d > PCR_WRAP / 2 || d > PCR_DISCONTINUITY_TICKS) {
            error(TsCheck.PCR_DISCONTINUITY_INDICATOR_ERROR, pid, pos);
        } else if (d > PCR_REPETITION_TICKS) {
            error(TsCheck.PCR_REPETITION_ERROR, pid, pos);
        }
    }

    /** The stream clock follows the first PID seen carrying PCRs. */
    private void clock(int pid, long pcr, boolean discontinuity, long pos) {
        if (clockPid < 0) {
            clockPid = pid;
        }
        if (pid != clockPid) {
            return;
        }
        double t = now;
        // across a segment boundary only a PCR that follows on within 100 ms advances the clock
        long limit = freshClock ? PCR_DISCONTINUITY_TICKS : PCR_HZ;
        freshClock = false;
        if (clockPcr >= 0) {
            long d = Math.floorMod(pcr - clockPcr, PCR_WRAP);
            if (!discontinuity && d > 0 && d <= limit) {
                double seconds = (double) d / PCR_HZ;
                byteRate = (pos - clockPos) / seconds;
                clockStep = seconds;
                t = clockTime + seconds;
            }
        }
        clockPcr = pcr;
        clockPos = pos;
        clockTime = t;
        now = Math.max(now, t);
    }

    private void checkAbsences(long pos) {
        if (!segmented && now > patDeadline) {
            error(TsCheck.PAT_ERROR, 0, pos);
            patDeadline = now + PAT_PMT_INTERVAL;
        }
        for (int pid : pmtPids) {
            if (!segmented && now > pmtDeadline[pid]) { // NaN (no PMT yet) compares false
                error(TsCheck.PMT_ERROR, pid, pos);
                pmtDeadline[pid] = now + PAT_PMT_INTERVAL;
            }
        }
        for (int pid : avPids) {
            if (now > pidDeadline[pid]) {
                error(TsCheck.PID_ERROR, pid, pos);
                pidDeadline[pid] = now + PID_ABSENCE;
            }
            if (now > ptsDeadline[pid]) { // NaN (no PTS yet) compares false
                error(TsCheck.PTS_ERROR, pid, pos);
                ptsDeadline[pid] = now + PTS_INTERVAL;
            }
        }
    }

    /** Collects PSI sections from a packet's payload (pointer_field, several sections per packet, stuffing). */
    private void psi(int pid, byte[] p, int i, boolean pusi, boolean ccBroken, long pos) {
        Section s = sections[pid];
        if (ccBroken && !pusi) {
            s.collecting = false; // a lost packet broke the section in progress
            return;
        }
        if (!pusi) {
            if (s.collecting) {
                collect(pid, s, p, i, PACKET_SIZE, pos);
            }
            return;
        }
        int pointer = p[i] & 0xFF;
        i++;
        if (s.collecting && !ccBroken) {
            collect(pid, s, p, i, Math.min(PACKET_SIZE, i + pointer), pos);
        }
        s.collecting = false;
        i += pointer;
        while (i < PACKET_SIZE && p[i] != (byte) 0xFF) {
            s.start();
            i += collect(pid, s, p, i, PACKET_SIZE, pos);
            if (s.collecting) {
                break; // continues in the next packet
            }
        }
    }

    /** Appends bytes to the section in progress; returns how many it took (it stops at the section's end). */
    private int collect(int pid, Section s, byte[] p, int from, int to, long pos) {
        int i = from;
        while (i < to && s.collecting) {
            int want = s.total == 0 ? 3 - s.len : s.total - s.len;
            int n = Math.min(want, to - i);
            System.arraycopy(p, i, s.data, s.len, n);
            s.len += n;
            i += n;
            if (s.total == 0 && s.len == 3) {
                s.total = 3 + (((s.data[1] & 0x0F) << 8) | (s.data[2] & 0xFF));
                if (s.total > MAX_SECTION) {
                    s.collecting = false;
                    return to - from;
                }
            }
            if (s.total > 0 && s.len == s.total) {
                s.collecting = false;
                section(pid, s.data, s.total, pos);
            }
        }
        return i - from;
    }

    private void section(int pid, byte[] d, int len, long pos) {
        int tableId = d[0] & 0xFF;
        if (pid == 0 && tableId != 0x00) {
            error(TsCheck.PAT_ERROR, 0, pos);
            return;
        }
        boolean longSection = (d[1] & 0x80) != 0;
        if (longSection && (len < 12 || Crc32Mpeg.of(d, 0, len) != 0)) {
            error(TsCheck.CRC_ERROR, pid, pos);
            return;
        }
        if (pid == 0) {
            pat(d, len);
        } else if (pmtPid[pid] && tableId == 0x02) {
            pmt(pid, d, len);
        }
    }

    private void pat(byte[] d, int len) {
        patDeadline = now + PAT_PMT_INTERVAL;
        patInSegment = true;
        for (int i = 8; i + 4 <= len - 4; i += 4) {
            int program = ((d[i] & 0xFF) << 8) | (d[i + 1] & 0xFF);
            int pid = ((d[i + 2] & 0x1F) << 8) | (d[i + 3] & 0xFF);
            if (program == 0 || pmtPid[pid]) {
                continue; // the NIT's PID, or known already
            }
            pmtPid[pid] = true;
            // watched once its PMT has been seen: a PAT may list services whose packets were filtered out upstream
            pmtDeadline[pid] = Double.NaN;
            if (sections[pid] == null) {
                sections[pid] = new Section();
            }
            pmtPids = append(pmtPids, pid);
        }
    }

    private void pmt(int pid, byte[] d, int len) {
        pmtDeadline[pid] = now + PAT_PMT_INTERVAL;
        pmtInSegment[pid] = true;
        int programInfo = ((d[10] & 0x0F) << 8) | (d[11] & 0xFF);
        int end = len - 4;
        for (int i = 12 + programInfo; i + 5 <= end; ) {
            int type = d[i] & 0xFF;
            int es = ((d[i + 1] & 0x1F) << 8) | (d[i + 2] & 0xFF);
            int infoLen = ((d[i + 3] & 0x0F) << 8) | (d[i + 4] & 0xFF);
            int descriptors = i + 5;
            i = descriptors + infoLen;
            if (!avPid[es] && isAudioOrVideo(type, d, descriptors, Math.min(i, end))) {
                avPid[es] = true;
                pidDeadline[es] = now + PID_ABSENCE;
                avPids = append(avPids, es);
                if (isVideo(type)) {
                    videoPids = append(videoPids, es);
                }
            }
        }
    }

    /**
     * Whether an elementary stream is audio or video, whose PES carry PTSs continuously (subtitles, teletext and
     * data do not: they are left out of the PID and PTS checks).
     */
    private static boolean isAudioOrVideo(int streamType, byte[] d, int from, int to) {
        if (isVideo(streamType)) {
            return true;
        }
        switch (streamType) {
            case 0x03, 0x04, 0x0F, 0x11, 0x1C, 0x81, 0x87 -> { // audio
                return true;
            }
            case 0x06 -> {
                // private PES: DVB AC-3, E-AC-3, DTS and AAC say so in a descriptor
                for (int i = from; i + 2 <= to; i += 2 + (d[i + 1] & 0xFF)) {
                    int tag = d[i] & 0xFF;
                    if (tag == 0x6A || tag == 0x7A || tag == 0x7B || tag == 0x7C) {
                        return true;
                    }
                }
                return false;
            }
            default -> {
                return false;
            }
        }
    }

    /** MPEG-1/2, MPEG-4, H.264, HEVC, VVC, AVS2/3, VC-1 (DigiCipher, Dirac) video. */
    private static boolean isVideo(int streamType) {
        return switch (streamType) {
            case 0x01, 0x02, 0x10, 0x1B, 0x24, 0x33, 0x42, 0xD1, 0xEA -> true;
            default -> false;
        };
    }

    private static int[] append(int[] a, int v) {
        int[] b = Arrays.copyOf(a, a.length + 1);
        b[a.length] = v;
        return b;
    }

    private void error(TsCheck check, int pid, long pos) {
        errors[check.ordinal()][Math.max(pid, 0)]++;
        errorTotals[check.ordinal()]++;
        listener.error(check, pid, pcrSeconds(pos));
    }

    /** Where a byte of the stream lies on its PCR clock, seconds; NaN before the first PCR. */
    private double pcrSeconds(long pos) {
        if (clockPcr < 0) {
            return Double.NaN;
        }
        return (double) clockPcr / PCR_HZ + sinceClock(pos);
    }

    /** Seconds from the last PCR to a byte, at the rate between the last two PCRs, at most their interval. */
    private double sinceClock(long pos) {
        return byteRate > 0 ? Math.min((pos - clockPos) / byteRate, clockStep) : 0;
    }

    // -- counters --

    /** The stream's own time since the analysis began, seconds (from its PCRs). */
    public double streamSeconds() {
        return now;
    }

    /** PIDs that carried at least one valid packet, ascending. */
    public int[] pids() {
        int n = 0;
        for (long c : packets) {
            if (c > 0) {
                n++;
            }
        }
        int[] out = new int[n];
        for (int pid = 0, k = 0; pid < PIDS && k < n; pid++) {
            if (packets[pid] > 0) {
                out[k++] = pid;
            }
        }
        return out;
    }

    /** The video PIDs the PMTs seen so far list. */
    public int[] videoPids() {
        return videoPids.clone();
    }

    /** Packets seen, including those with a bad sync byte or the transport error indicator. */
    public long totalPackets() {
        return totalPackets;
    }

    public long invalidSyncs() {
        return invalidSyncs;
    }

    public long transportErrors() {
        return transportErrors;
    }

    /** Valid packets (sync byte right, no transport error) of the PID. */
    public long packets(int pid) {
        return packets[pid];
    }

    public long pcrCount(int pid) {
        return pcrs[pid];
    }

    public long ptsCount(int pid) {
        return ptss[pid];
    }

    public long dtsCount(int pid) {
        return dtss[pid];
    }

    /** Unexpected continuity counter jumps (TSDuck's "discontinuities"). */
    public long discontinuities(int pid) {
        return discontinuities[pid];
    }

    /** Packets repeated with the same continuity counter (TSDuck's "duplicated"). */
    public long duplicated(int pid) {
        return duplicated[pid];
    }

    /** Failures of a check on a PID (checks without a PID count on 0). */
    public long errors(TsCheck check, int pid) {
        return errors[check.ordinal()][pid];
    }

    public long errors(TsCheck check) {
        return errorTotals[check.ordinal()];
    }

    // -- cumulative counters (all connections since this analyser was made): monotonic, for metrics --

    public long cumulativeTotalPackets() {
        synchronized (carriedLock) {
            return carriedTotalPackets + totalPackets;
        }
    }

    public long cumulativePackets(int pid) {
        synchronized (carriedLock) {
            return carriedPackets[pid] + packets[pid];
        }
    }

    public long cumulativeDiscontinuities(int pid) {
        synchronized (carriedLock) {
            return carriedDiscontinuities[pid] + discontinuities[pid];
        }
    }

    public long cumulativeErrors(TsCheck check, int pid) {
        synchronized (carriedLock) {
            return carriedErrors[check.ordinal()][pid] + errors[check.ordinal()][pid];
        }
    }

    public long cumulativeErrors(TsCheck check) {
        synchronized (carriedLock) {
            return carriedErrorTotals[check.ordinal()] + errorTotals[check.ordinal()];
        }
    }

    /** PIDs that carried at least one valid packet on any connection, ascending. */
    public int[] cumulativePids() {
        synchronized (carriedLock) {
            int n = 0;
            for (int pid = 0; pid < PIDS; pid++) {
                if (packets[pid] + carriedPackets[pid] > 0) {
                    n++;
                }
            }
            int[] out = new int[n];
            for (int pid = 0, k = 0; pid < PIDS && k < n; pid++) {
                if (packets[pid] + carriedPackets[pid] > 0) {
                    out[k++] = pid;
                }
            }
            return out;
        }
    }

    /**
     * The figures for a report: packets, sync and transport errors, per PID packets, PCRs, PTSs, continuity
     * discontinuities and duplicates, and the failures of each check that failed.
     */
    public Map<String, Object> summary() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("packets", totalPackets);
        s.put("invalidSyncs", invalidSyncs);
        s.put("transportErrors", transportErrors);
        Map<String, Object> pids = new LinkedHashMap<>();
        for (int pid : pids()) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("packets", packets[pid]);
            p.put("pcr", pcrs[pid]);
            p.put("pts", ptss[pid]);
            p.put("discontinuities", discontinuities[pid]);
            p.put("duplicated", duplicated[pid]);
            pids.put(Integer.toString(pid), p);
        }
        s.put("pids", pids);
        Map<String, Object> checks = new LinkedHashMap<>();
        for (TsCheck c : TsCheck.values()) {
            if (errorTotals[c.ordinal()] > 0) {
                checks.put(c.id(), errorTotals[c.ordinal()]);
            }
        }
        s.put("errors", checks);
        return s;
    }
}
