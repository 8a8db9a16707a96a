package dev.monoscope.worker.transport;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The analyser's counts, per PID as TSDuck's {@code tsanalyze} counts them (packets, PCRs, PTSs, continuity
 * discontinuities, duplicates) and per failed check: for this connection, and cumulative over every connection since
 * the analyser was made (monotonic, for metrics). Written by the thread that feeds the analyser; read from others as
 * a snapshot that may be slightly stale.
 */
public final class TsCounters {

    private static final int PIDS = TsAnalyzer.PIDS;

    long totalPackets;
    long invalidSyncs;
    long transportErrors;
    final long[] packets = new long[PIDS];
    final long[] pcrs = new long[PIDS];
    final long[] ptss = new long[PIDS];
    final long[] discontinuities = new long[PIDS];
    final long[] duplicated = new long[PIDS];
    final long[][] errors = new long[TsCheck.values().length][PIDS];
    final long[] errorTotals = new long[TsCheck.values().length];

    /** Counts of earlier connections, kept so that the cumulative figures (metrics) never go down. */
    private final Object carriedLock = new Object();

    private long carriedTotalPackets;
    private final long[] carriedPackets = new long[PIDS];
    private final long[] carriedDiscontinuities = new long[PIDS];
    private final long[][] carriedErrors = new long[TsCheck.values().length][PIDS];
    private final long[] carriedErrorTotals = new long[TsCheck.values().length];

    /** A new connection: this connection's counts start over, the cumulative ones keep what was counted. */
    void restart() {
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
        invalidSyncs = 0;
        transportErrors = 0;
        Arrays.fill(pcrs, 0);
        Arrays.fill(ptss, 0);
        Arrays.fill(duplicated, 0);
    }

    /** A check failed on a PID (checks without a PID count on 0). */
    void failed(TsCheck check, int pid) {
        errors[check.ordinal()][Math.max(pid, 0)]++;
        errorTotals[check.ordinal()]++;
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
