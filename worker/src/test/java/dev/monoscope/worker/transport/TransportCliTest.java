package dev.monoscope.worker.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.monoscope.worker.cli.CliRun;
import dev.monoscope.worker.media.TestMedia;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The transport detector through the real command line, on real captures. */
class TransportCliTest {

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void test072RaisesItsPatAndPmtErrorsOnceAndNoPcrError() {
        CliRun run = CliRun.of(
                "monitor", "--json", TestMedia.broadcast("test-072.ts").toString());

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        List<JsonNode> transport = transportDefects(run);
        assertThat(transport)
                .extracting(d -> d.path("subtype").asText())
                .as(run.stdout())
                .containsExactlyInAnyOrder("pat_error", "pmt_error");
        assertThat(run.started()).as("nothing but transport errors").hasSize(2);
    }

    /** The summary line carries the analyser's per-PID figures: test-025's equal TSDuck's. */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void theSummaryCarriesThePerPidFigures() throws IOException {
        CliRun run = CliRun.of(
                "monitor", "--json", TestMedia.broadcast("test-025.ts").toString());

        JsonNode transport = run.summary().path("transport");
        int pids = 0;
        for (String line : Files.readAllLines(TestMedia.broadcast("test-025.tsanalyze.norm.txt"))) {
            if (line.startsWith("pid:")) {
                Map<String, String> f = TsAnalyzerTest.fields(line);
                JsonNode pid = transport.path("pids").path(f.get("pid"));
                assertThat(pid.path("packets").asLong()).as(line).isEqualTo(Long.parseLong(f.get("packets")));
                assertThat(pid.path("pcr").asLong()).as(line).isEqualTo(Long.parseLong(f.get("pcr")));
                assertThat(pid.path("pts").asLong()).as(line).isEqualTo(Long.parseLong(f.get("pts")));
                assertThat(pid.path("discontinuities").asLong())
                        .as(line)
                        .isEqualTo(Long.parseLong(f.get("discontinuities")));
                pids++;
            }
        }
        assertThat(transport.path("pids").size()).isEqualTo(pids);
    }

    static List<JsonNode> transportDefects(CliRun run) {
        return run.started().stream()
                .filter(e -> e.path("type").asText().equals("transport"))
                .toList();
    }
}
