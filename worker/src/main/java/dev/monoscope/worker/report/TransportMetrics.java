package dev.monoscope.worker.report;

import dev.monoscope.worker.transport.TsAnalyzer;
import dev.monoscope.worker.transport.TsCheck;
import dev.monoscope.worker.transport.TsCounters;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashSet;
import java.util.Set;

/**
 * The transport analyser's counters for users, per PID: {@code monoscope_transport_packets_total{pid}},
 * {@code monoscope_transport_continuity_discontinuities_total{pid}} and
 * {@code monoscope_transport_errors_total{check,pid}} (pid "" for the sync checks). PIDs and checks are registered
 * as they first appear ({@link #refresh()}, from the decode thread now and then, through the transport detector).
 * Counts run on across reconnections
 * (Prometheus counters never go down): they are the analyser's cumulative figures.
 */
public final class TransportMetrics {

    private final TsCounters analyzer;
    private final MeterRegistry registry;
    private final Set<Integer> pidsBound = new HashSet<>();
    private final Set<Integer> errorsBound = new HashSet<>();

    public TransportMetrics(TsAnalyzer analyzer, MeterRegistry registry) {
        this.analyzer = analyzer.counters();
        this.registry = registry;
        FunctionCounter.builder("monoscope.transport.packets.all", this.analyzer, TsCounters::cumulativeTotalPackets)
                .description("MPEG-TS packets read, all PIDs")
                .register(registry);
        refresh();
    }

    /** Registers the meters of PIDs and failed checks that appeared since the last call. */
    public synchronized void refresh() {
        MeterRegistry r = registry;
        for (int pid : analyzer.cumulativePids()) {
            if (pidsBound.add(pid)) {
                String tag = Integer.toString(pid);
                FunctionCounter.builder("monoscope.transport.packets", analyzer, a -> a.cumulativePackets(pid))
                        .tag("pid", tag)
                        .description("MPEG-TS packets per PID")
                        .register(r);
                FunctionCounter.builder(
                                "monoscope.transport.continuity.discontinuities",
                                analyzer,
                                a -> a.cumulativeDiscontinuities(pid))
                        .tag("pid", tag)
                        .description("Continuity counter discontinuities per PID")
                        .register(r);
            }
        }
        for (TsCheck check : TsCheck.values()) {
            if (analyzer.cumulativeErrors(check) == 0) {
                continue;
            }
            for (int pid = 0; pid < TsAnalyzer.PIDS; pid++) {
                if (analyzer.cumulativeErrors(check, pid) > 0
                        && errorsBound.add(check.ordinal() * TsAnalyzer.PIDS + pid)) {
                    int p = pid;
                    boolean sync = check == TsCheck.TS_SYNC_LOSS || check == TsCheck.SYNC_BYTE_ERROR;
                    FunctionCounter.builder("monoscope.transport.errors", analyzer, a -> a.cumulativeErrors(check, p))
                            .tag("check", check.id())
                            .tag("pid", sync ? "" : Integer.toString(pid))
                            .tag("priority", Integer.toString(check.priority()))
                            .description("ETSI TR 101 290 check failures")
                            .register(r);
                }
            }
        }
    }
}
