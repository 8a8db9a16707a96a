package dev.monoscope.worker.transport;

import java.util.Arrays;

/**
 * PSI parsing: collects the sections of the PAT and of the PMTs it lists from the packets' payloads, checks their
 * CRC, and keeps what they say: the PMT PIDs, the audio and video PIDs the PMTs list, and when the next PAT, PMT and
 * packet of each such PID is due (the absence checks read those deadlines).
 */
final class PsiTables {

    static final double PAT_PMT_INTERVAL = 0.5;
    /** A PMT-referenced audio or video PID absent this long is a PID error (TR 101 290 leaves the period to users). */
    static final double PID_ABSENCE = 5.0;

    private static final int PIDS = TsAnalyzer.PIDS;
    private static final int PACKET_SIZE = TsAnalyzer.PACKET_SIZE;
    private static final int MAX_SECTION = 4096 + 3;
    private static final int SCTE35_STREAM_TYPE = 0x86;

    private final TsAnalyzer analyzer;
    private final Section[] sections = new Section[PIDS];
    final boolean[] pmtPid = new boolean[PIDS];
    final double[] pmtDeadline = new double[PIDS];
    int[] pmtPids = new int[0];
    /** PMT-referenced audio and video PIDs: watched for absence (PID error) and PTS repetition. */
    final boolean[] avPid = new boolean[PIDS];

    int[] avPids = new int[0];
    int[] videoPids = new int[0];
    /** PIDs a PMT declares with stream type 0x86: SCTE-35 splice_info_sections. */
    final boolean[] scte35Pid = new boolean[PIDS];

    int[] scte35Pids = new int[0];
    final double[] pidDeadline = new double[PIDS];
    double patDeadline;
    boolean patInSegment;
    final boolean[] pmtInSegment = new boolean[PIDS];
    /** The subtitle services the PMTs declare. */
    final SubtitleServices subtitles = new SubtitleServices();

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

    PsiTables(TsAnalyzer analyzer) {
        this.analyzer = analyzer;
    }

    void reset() {
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
        Arrays.fill(scte35Pid, false);
        scte35Pids = new int[0];
        Arrays.fill(pidDeadline, Double.NaN);
        patDeadline = PAT_PMT_INTERVAL;
        subtitles.reset();
    }

    /** Whether the PID carries PSI sections this parser collects. */
    boolean carriesSections(int pid) {
        return sections[pid] != null;
    }

    /** Collects PSI sections from a packet's payload (pointer_field, several sections per packet, stuffing). */
    void psi(int pid, byte[] p, int i, boolean pusi, boolean ccBroken, long pos) {
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
            analyzer.error(TsCheck.PAT_ERROR, 0, pos);
            return;
        }
        boolean longSection = (d[1] & 0x80) != 0;
        if (longSection && (len < 12 || Crc32Mpeg.of(d, 0, len) != 0)) {
            analyzer.error(TsCheck.CRC_ERROR, pid, pos);
            return;
        }
        if (pid == 0) {
            pat(d, len);
        } else if (pmtPid[pid] && tableId == 0x02) {
            pmt(pid, d, len);
        } else if (scte35Pid[pid]) {
            analyzer.spliceSection(pid, d, len, pos);
        }
    }

    private void pat(byte[] d, int len) {
        patDeadline = analyzer.now() + PAT_PMT_INTERVAL;
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
        double now = analyzer.now();
        pmtDeadline[pid] = now + PAT_PMT_INTERVAL;
        pmtInSegment[pid] = true;
        subtitles.pmt(pid, d, len);
        int programInfo = ((d[10] & 0x0F) << 8) | (d[11] & 0xFF);
        int end = len - 4;
        for (int i = 12 + programInfo; i + 5 <= end; ) {
            int type = d[i] & 0xFF;
            int es = ((d[i + 1] & 0x1F) << 8) | (d[i + 2] & 0xFF);
            int infoLen = ((d[i + 3] & 0x0F) << 8) | (d[i + 4] & 0xFF);
            int descriptors = i + 5;
            i = descriptors + infoLen;
            if (type == SCTE35_STREAM_TYPE && !scte35Pid[es] && !pmtPid[es] && es > 1) {
                scte35Pid[es] = true;
                sections[es] = new Section();
                scte35Pids = append(scte35Pids, es);
            }
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
}
