package dev.monoscope.worker.transport;

import java.util.Arrays;

/**
 * Which PIDs carry scrambled payloads (conditional access: transport_scrambling_control not 0), as the MPEG-TS
 * analyser sees them. A PID turns scrambled after {@value #RUN} payload packets in a row with the bits set, and clear
 * again after as many without: one odd packet changes nothing. A listener hears every change.
 */
public final class ScrambledPids {

    static final int RUN = 16;

    /** Told on the thread that feeds the analyser when a PID turns scrambled or clear. */
    public interface Listener {
        void changed(int pid, boolean scrambled);
    }

    private final boolean[] scrambled = new boolean[TsAnalyzer.PIDS];
    /** Payload packets in a row that disagree with the PID's state. */
    private final int[] against = new int[TsAnalyzer.PIDS];

    private Listener listener;

    /** One payload packet of {@code pid}, scrambled or not. */
    void packet(int pid, boolean isScrambled) {
        if (isScrambled == scrambled[pid]) {
            against[pid] = 0;
            return;
        }
        if (++against[pid] >= RUN) {
            against[pid] = 0;
            scrambled[pid] = isScrambled;
            if (listener != null) {
                listener.changed(pid, isScrambled);
            }
        }
    }

    /** Whether {@code pid}'s payloads are scrambled now. */
    public boolean scrambled(int pid) {
        return pid >= 0 && pid < scrambled.length && scrambled[pid];
    }

    /** The one listener (null: none). */
    public void listener(Listener l) {
        listener = l;
    }

    /** The input starts over: every PID is clear until its packets say otherwise. */
    void reset() {
        Arrays.fill(scrambled, false);
        Arrays.fill(against, 0);
    }
}
