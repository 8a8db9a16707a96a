package dev.monoscope.worker.golden;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.monoscope.api.worker.WorkerConfig;
import dev.monoscope.worker.cli.CliRun;
import dev.monoscope.worker.corpus.LabelledClip;
import dev.monoscope.worker.live.LiveClip;
import dev.monoscope.worker.live.LoopbackSender;
import dev.monoscope.worker.media.TestMedia;
import dev.monoscope.worker.server.ServerMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The worker's public outputs, recorded: {@code monitor --json} on the real broadcast captures and three corpus
 * clips (wall-clock fields masked), {@code monitor --help}, the report's shape and the metric names and labels. A
 * refactoring must leave every one unchanged; {@link Golden} says how to record an intended change.
 */
class GoldenOutputTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Fields that read the wall clock or the CPU time, not the media: their values are masked. */
    private static final List<String> CLOCK_FIELDS = List.of("startedAt", "endedAt", "cpuSeconds", "wallSeconds");

    static Stream<String> inputs() {
        return Stream.of(
                "broadcast/test-025.ts",
                "broadcast/test-026.ts",
                "broadcast/test-072.ts",
                "broadcast/test-137.ts",
                "broadcast/test-151.ts",
                "corpus/h264-720p25.ts",
                "corpus/mpeg2-720p25.ts",
                "corpus/vp9-360p30.mp4");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inputs")
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void monitorJsonLinesAreUnchanged(String input) {
        String name = input.substring(input.indexOf('/') + 1);
        String file = input.startsWith("broadcast/")
                ? TestMedia.broadcast(name).toString()
                : LabelledClip.corpus().stream()
                        .filter(c -> c.name().equals(name))
                        .findFirst()
                        .orElseThrow()
                        .file()
                        .toString();

        CliRun run = CliRun.of("monitor", "--json", file);

        StringBuilder out = new StringBuilder("exit ").append(run.exitCode()).append('\n');
        for (JsonNode event : run.events()) {
            ObjectNode masked = event.deepCopy();
            for (String field : CLOCK_FIELDS) {
                if (masked.has(field)) {
                    masked.put(field, "<clock>");
                }
            }
            out.append(masked).append('\n');
        }
        Golden.assertMatches("monitor-json/" + name + ".jsonl", out.toString());
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void monitorHelpIsUnchanged() {
        CliRun run = CliRun.of("monitor", "--help");
        Golden.assertMatches("monitor-help.txt", "exit " + run.exitCode() + "\n" + run.stdout());
    }

    /** A served stream followed until its black and silent parts have ended: the report's fields and the metrics. */
    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void reportShapeAndMetricNamesAreUnchanged() throws Exception {
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try (LoopbackSender sender = LoopbackSender.http(LiveClip.get())) {
            sender.start();
            WorkerConfig config = new WorkerConfig();
            config.source.url = sender.url();
            config.decoder = "cpu";
            try (ServerMode mode = ServerMode.start(config, Map.of(), "127.0.0.1", 0)) {
                String base = "http://127.0.0.1:" + mode.port();
                JsonNode report = JSON.readTree(get(http, base + "/api/v1/report"));
                while (!hasEnded(report, "black") || !hasEnded(report, "silence")) {
                    long since = report.path("version").asLong();
                    report = JSON.readTree(get(http, base + "/api/v1/report?since=" + since + "&waitSeconds=20"));
                }
                String metrics = get(http, base + "/q/metrics");

                TreeSet<String> shape = new TreeSet<>();
                shape(report, "", shape);
                shape.add("detectors = " + report.path("detectors"));
                Golden.assertMatches("report-shape.txt", String.join("\n", shape) + "\n");
                Golden.assertMatches("metric-names.txt", metricNames(metrics));
            }
        }
    }

    private static boolean hasEnded(JsonNode report, String type) {
        for (JsonNode d : report.path("recentDefects")) {
            if (type.equals(d.path("type").asText()) && d.hasNonNull("end")) {
                return true;
            }
        }
        return false;
    }

    /** Every field path with its JSON type; array elements under {@code []}, map-like objects by their keys. */
    private static void shape(JsonNode node, String path, TreeSet<String> out) {
        out.add(path + ": " + node.getNodeType());
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                shape(field.getValue(), path + "." + field.getKey(), out);
            }
        } else if (node.isArray()) {
            for (JsonNode element : node) {
                shape(element, path + "[]", out);
            }
        }
    }

    /** The monoscope_* series, name and labels without their values, sorted, with their declared types. */
    private static String metricNames(String scrape) {
        TreeSet<String> names = new TreeSet<>();
        for (String line : scrape.lines().toList()) {
            if (line.startsWith("# TYPE monoscope_")) {
                names.add(line);
            } else if (line.startsWith("monoscope_")) {
                names.add(line.substring(0, line.lastIndexOf(' ')));
            }
        }
        assertThat(names).as("metrics scraped").isNotEmpty();
        return String.join("\n", new ArrayList<>(names)) + "\n";
    }

    private static String get(HttpClient http, String url) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url).isEqualTo(200);
        return response.body();
    }
}
