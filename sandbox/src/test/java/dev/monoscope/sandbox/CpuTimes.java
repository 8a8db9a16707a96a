package dev.monoscope.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * CPU time used so far by each process the sandbox started (its pid files) and by the bench's own JVM (the stand-in
 * node and the StreamMonitors' creator): where two cores went.
 */
final class CpuTimes {

    private CpuTimes() {}

    static Map<String, Duration> now(Path stateDir) throws IOException {
        Map<String, Duration> times = new TreeMap<>();
        try (Stream<Path> files = Files.list(stateDir.resolve("pids"))) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString().replaceFirst("\\.pid$", "");
                long pid = Long.parseLong(Files.readString(file).trim().split(" ")[0]);
                ProcessHandle.of(pid)
                        .flatMap(p -> p.info().totalCpuDuration())
                        .ifPresent(cpu -> times.put(name.replaceFirst("-[a-z0-9]+-[a-z0-9]+$", ""), cpu));
            }
        }
        ProcessHandle.current().info().totalCpuDuration().ifPresent(cpu -> times.put("bench", cpu));
        return times;
    }

    /** "name 12.3 s, …" of the CPU time used between two snapshots. */
    static String used(Map<String, Duration> before, Map<String, Duration> after) {
        StringBuilder out = new StringBuilder();
        after.forEach((name, cpu) -> out.append(out.isEmpty() ? "" : ", ")
                .append(name)
                .append(' ')
                .append(String.format(
                        "%.1f s",
                        cpu.minus(before.getOrDefault(name, Duration.ZERO)).toMillis() / 1000.0)));
        return out.toString();
    }
}
