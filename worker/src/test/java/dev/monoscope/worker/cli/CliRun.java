package dev.monoscope.worker.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.monoscope.worker.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/** Runs {@code monoscope ...} in this JVM (picocli), capturing stdout and, with --json, its events. */
public record CliRun(int exitCode, String stdout, String stderr, List<JsonNode> events) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.commandLine()
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args);
        List<JsonNode> events = new ArrayList<>();
        boolean json = List.of(args).contains("--json");
        if (json) {
            for (String line : out.toString().split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    events.add(JSON.readTree(line));
                } catch (Exception e) {
                    throw new AssertionError("not a JSON line on stdout: " + line, e);
                }
            }
        }
        return new CliRun(code, out.toString(), err.toString(), events);
    }

    /** The defect_ended events (every defect ends, truncated at the end of input when still active). */
    public List<JsonNode> ended() {
        return events.stream()
                .filter(e -> e.path("event").asText().equals("defect_ended"))
                .toList();
    }

    public List<JsonNode> started() {
        return events.stream()
                .filter(e -> e.path("event").asText().equals("defect_started"))
                .toList();
    }

    public JsonNode summary() {
        return events.stream()
                .filter(e -> e.path("event").asText().equals("summary"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no summary in: " + stdout));
    }
}
