package dev.monoscope.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The processes a sandbox started, one file each under {@code <stateDir>/pids/}: shutdown hooks do not run when a
 * JVM is killed with SIGKILL, so the next sandbox on the same state directory stops what the last one left behind.
 * A file holds the pid and the process's start time, so that a recycled pid is never mistaken for a leftover.
 */
final class PidFiles {

    private final Path dir;

    PidFiles(Path stateDir) {
        this.dir = stateDir.resolve("pids");
    }

    void record(String name, ProcessHandle process) {
        try {
            Files.createDirectories(dir);
            Files.writeString(
                    dir.resolve(name + ".pid"),
                    process.pid() + " "
                            + startOf(process).map(Instant::toString).orElse("-"));
        } catch (IOException e) {
            System.err.println("sandbox: cannot record pid of " + name + ": " + e.getMessage());
        }
    }

    void forget(String name) {
        try {
            Files.deleteIfExists(dir.resolve(name + ".pid"));
        } catch (IOException e) {
            // stale files are checked against the start time anyway
        }
    }

    /** Stops every recorded process that still runs, then forgets them all. */
    void stopLeftovers() {
        if (!Files.isDirectory(dir)) {
            return;
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(f -> f.toString().endsWith(".pid")).toList();
        } catch (IOException e) {
            return;
        }
        for (Path file : files) {
            try {
                String[] fields = Files.readString(file).trim().split(" ");
                Optional<ProcessHandle> process = ProcessHandle.of(Long.parseLong(fields[0]));
                if (process.isPresent()
                        && startOf(process.get())
                                .map(Instant::toString)
                                .orElse("-")
                                .equals(fields[1])) {
                    System.err.println("sandbox: stopping " + file.getFileName() + " left behind by an earlier run");
                    ProcessTree.stop(process.get(), Duration.ofSeconds(2));
                }
                Files.deleteIfExists(file);
            } catch (IOException | RuntimeException e) {
                // unreadable: nothing to stop
            }
        }
    }

    private static Optional<Instant> startOf(ProcessHandle process) {
        return process.info().startInstant();
    }
}
