package dev.monoscope.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * One server of the sandbox's own (etcd, kube-apiserver, kube-controller-manager) run as a local process: its output
 * appended to one log file, its pid recorded so that a later sandbox stops it if this JVM is killed, stopped with
 * SIGTERM and then SIGKILL.
 */
final class LocalServer implements AutoCloseable {

    private final String name;
    private final List<String> command;
    private final Path log;
    private final PidFiles pids;
    private Process process;

    LocalServer(String name, List<String> command, Path stateDir) {
        this.name = name;
        this.command = List.copyOf(command);
        this.log = stateDir.resolve("logs").resolve(name + ".log");
        this.pids = new PidFiles(stateDir);
    }

    /** Starts the process and waits until {@code ready} says yes; fails when it exits or the timeout passes. */
    synchronized void start(BooleanSupplier ready, Duration timeout) {
        try {
            Files.createDirectories(log.getParent());
            Files.writeString(
                    log,
                    "---- " + Instant.now() + " starting " + name + "\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            pids.record(name, process.toHandle());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
        Instant deadline = Instant.now().plus(timeout);
        while (!ready.getAsBoolean()) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ": see " + log);
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException(
                        name + " was not ready within " + timeout.toSeconds() + " s: see " + log);
            }
            Await.pause(Await.POLL);
        }
    }

    /** Stops the process (SIGTERM, SIGKILL after 10 s) and waits for it. */
    synchronized void stop() {
        if (process != null) {
            ProcessTree.stop(process.toHandle(), Duration.ofSeconds(10));
            process = null;
            pids.forget(name);
        }
    }

    synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    Path log() {
        return log;
    }

    @Override
    public void close() {
        stop();
    }
}
