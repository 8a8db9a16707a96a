package dev.monoscope.worker.hostile;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/** MPEG-TS that no encoder would write: made from real packets by test code, deterministic. */
final class HostileTs {

    static final int PACKET = 188;

    private HostileTs() {}

    /**
     * The stream with {@code perPacket} packets after each real one, on {@code pids} further PIDs (from 0x100) in turn,
     * each PID's continuity counter jumping on every packet of it (a continuity error each time but the first).
     */
    static byte[] withManyPids(byte[] ts, int pids, int perPacket) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(ts.length * 2);
        int next = 0;
        int round = 0;
        for (int i = 0; i + PACKET <= ts.length; i += PACKET) {
            out.write(ts, i, PACKET);
            for (int k = 0; k < perPacket; k++) {
                int pid = 0x100 + next;
                out.write(junk(pid, (round * 5) & 0x0F), 0, PACKET);
                next = (next + 1) % pids;
                if (next == 0) {
                    round++;
                }
            }
        }
        return out.toByteArray();
    }

    /** A packet of {@code pid} with a payload of 0xFF and the continuity counter {@code cc}. */
    static byte[] junk(int pid, int cc) {
        byte[] p = new byte[PACKET];
        Arrays.fill(p, (byte) 0xFF);
        p[0] = 0x47;
        p[1] = (byte) ((pid >> 8) & 0x1F);
        p[2] = (byte) pid;
        p[3] = (byte) (0x10 | (cc & 0x0F));
        return p;
    }
}
