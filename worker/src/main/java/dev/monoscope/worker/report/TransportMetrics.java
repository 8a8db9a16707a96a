package dev.monoscope.worker.report;

import dev.monoscope.worker.transport.PidSeries;
import dev.monoscope.worker.transport.TsAnalyzer;
import dev.monoscope.worker.transport.TsCheck;
import dev.monoscope.worker.transport.TsCounters;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashSet;
import java.util.Set;
import java.util.function.IntToLongFunction;

/**
 * The transport analyser's counters for users, per PID: {@code monoscope_transport_packets_total{pid}},
 * {@code monoscope_transport_continuity_discontinuities_total{pid}} and
 * {@code monoscope_transport_errors_total{check,pid}} (pid "" for the sync checks). PIDs and checks are registered
 * as they first appear ({@link #refresh()}, from the decode thread now and then, through the transport detector).
 * At most {@link PidSeries}' limit of PIDs get series of their own; the rest count together as pid "other".
 * Counts run on across reconnections (Prometheus counters never go down): they are the analyser's cumulative figures.
 */
public final class TransportMetrics {

    private final TsCounters analyzer;
    private final PidSeries series;
    private final MeterRegistry registry;
    private final Set<Integer> pidsBound = new HashSet<>();
    private final Set<Integer> errorsBound = new HashSet<>();

    public TransportMetrics(TsAnalyzer analyzer, MeterRegistry registry) {
        this.analyzer = analyzer.counters();
        this.series = analyzer.pidSeries();
        this.registry = registry;
        FunctionCounter.builder("monoscope.transport.packets.all", this.analyzer, TsCounters::cumulativeTotalPackets)
                .description("MPEG-TS packets read, all PIDs")
                .register(registry);
        refresh();
    }

    /** Registers the meters of PIDs and failed checks that appeared since the last call. */
    public synchronized void refresh() {
        for (int pid : analyzer.cumulativePids()) {
            int label = series.series(pid);
            if (pidsBound.add(label)) {
                bindPid(label);
            }
        }
        for (TsCheck check : TsCheck.values()) {
            if (analyzer.cumulativeErrors(check) == 0) {
                continue;
            }
            boolean sync = check == TsCheck.TS_SYNC_LOSS || check == TsCheck.SYNC_BYTE_ERROR;
            for (int pid = 0; pid < TsAnalyzer.PIDS; pid++) {
                if (analyzer.cumulativeErrors(check, pid) == 0) {
                    continue;
                }
                int label = sync ? pid : series.series(pid);
                if (errorsBound.add(check.ordinal() * (TsAnalyzer.PIDS + 3) + label + 2)) {
                    FunctionCounter.builder(
                                    "monoscope.transport.errors",
                                    analyzer,
                                    a -> sum(label, p -> a.cumulativeErrors(check, p)))
                            .tag("check", check.id())
                            .tag("pid", sync ? "" : PidSeries.label(label))
                            .tag("priority", Integer.toString(check.priority()))
                            .description("ETSI TR 101 290 check failures")
                            .register(registry);
                }
            }
        }
    }

    private void bindPid(int label) {
        String tag = PidSeries.label(label);
        FunctionCounter.builder("monoscope.transport.packets", analyzer, a -> sum(label, a::cumulativePackets))
                .tag("pid", tag)
                .description("MPEG-TS packets per PID (pid \"other\": the PIDs past the first 64, together)")
                .register(registry);
        FunctionCounter.builder(
                        "monoscope.transport.continuity.discontinuities",
                        analyzer,
                        a -> sum(label, a::cumulativeDiscontinuities))
                .tag("pid", tag)
                .description("Continuity counter discontinuities per PID")
                .register(registry);
        if (label == PidSeries.FOLDED) {
            Gauge.builder("monoscope.transport.pids.folded", series, PidSeries::foldedCount)
                    .description("PIDs counted in the pid=\"other\" series rather than their own")
                    .register(registry);
        }
    }

    /** A series' count: its PID's, or for {@link PidSeries#FOLDED} the folded PIDs' together. */
    private double sum(int label, IntToLongFunction count) {
        if (label != PidSeries.FOLDED) {
            return count.applyAsLong(label);
        }
        long total = 0;
        for (int pid = 0; pid < TsAnalyzer.PIDS; pid++) {
            if (series.isFolded(pid)) {
                total += count.applyAsLong(pid);
            }
        }
        return total;
    }
}
