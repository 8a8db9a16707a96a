package dev.monoscope.worker.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.monoscope.worker.cli.CliRun;
import dev.monoscope.worker.report.TransportMetrics;
import dev.monoscope.worker.transport.PidSeries;
import dev.monoscope.worker.transport.TsAnalyzer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stream of thousands of PIDs, each with continuity errors: per-PID series (defects, metrics, the summary) for at
 * most 64 PIDs, the rest in one "other" series with a count of what was folded.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ManyPidsTest {

    private static final int PIDS = 3000;

    private static byte[] stream() throws Exception {
        return HostileTs.withManyPids(Files.readAllBytes(HostileOrigin.segment()), PIDS, 8);
    }

    @Test
    void defectsAndTheSummaryKeepSeriesForAtMost64Pids(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("pids.ts");
        Files.write(file, stream());
        CliRun run = CliRun.of("monitor", "--json", file.toString());

        Set<String> defectPids = new HashSet<>();
        for (JsonNode e : run.started()) {
            if (e.path("type").asText().equals("transport")) {
                defectPids.add(e.path("details").path("pid").asText());
            }
        }
        assertThat(defectPids).as("PIDs with defects of their own").hasSizeLessThanOrEqualTo(PidSeries.MAX + 1);
        assertThat(defectPids).contains(PidSeries.OTHER);

        JsonNode transport = run.summary().path("transport");
        assertThat(transport.path("pids").size()).isLessThanOrEqualTo(PidSeries.MAX + 1);
        assertThat(transport.path("pids").has(PidSeries.OTHER)).isTrue();
        assertThat(transport.path("foldedPids").asInt()).isGreaterThan(PIDS - PidSeries.MAX);
    }

    @Test
    void metricsKeepSeriesForAtMost64PidsAndCountTheFolded() throws Exception {
        TsAnalyzer analyzer = new TsAnalyzer();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        TransportMetrics meters = new TransportMetrics(analyzer, registry);
        byte[] ts = stream();
        analyzer.feed(ts, 0, ts.length);
        meters.refresh();

        assertThat(registry.find("monoscope.transport.packets").meters()).hasSizeLessThanOrEqualTo(PidSeries.MAX + 1);
        assertThat(registry.find("monoscope.transport.errors").meters())
                .hasSizeLessThanOrEqualTo(3 * (PidSeries.MAX + 1));
        assertThat(registry.get("monoscope.transport.pids.folded").gauge().value())
                .isGreaterThan(PIDS - PidSeries.MAX);
        double all = registry.get("monoscope.transport.packets.all")
                .functionCounter()
                .count();
        double perPid = registry.find("monoscope.transport.packets").functionCounters().stream()
                .mapToDouble(c -> c.count())
                .sum();
        assertThat(perPid).as("nothing is lost by folding").isEqualTo(all);
    }
}
