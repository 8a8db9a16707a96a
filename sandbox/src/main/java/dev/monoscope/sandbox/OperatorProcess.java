package dev.monoscope.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The built operator (the Quarkus fast-jar in {@code operator/target/quarkus-app}) run as a local process against the
 * sandbox's API: {@code KUBECONFIG} points at the sandbox, leader election is off (profile {@code sandbox}), its
 * HTTP server (health, metrics) listens on loopback only so that it never takes a worker's port, and its log goes to
 * one file.
 */
public final class OperatorProcess implements AutoCloseable {

    private final Path jar;
    private final Path kubeconfig;
    private final Path log;
    private final List<String> extraProperties;
    private final PidFiles pids;
    private final Thread shutdownHook;
    private Process process;
    private int httpPort;

    /**
     * @param stateDir        holds the sandbox's kubeconfig; the log goes to {@code logs/operator.log} there
     * @param extraProperties more {@code -Dkey=value} options, e.g. shorter timings for tests
     */
    public OperatorProcess(Path projectRoot, Path stateDir, List<String> extraProperties) {
        this.jar = fastJar(projectRoot);
        this.kubeconfig = stateDir.resolve("kubeconfig").toAbsolutePath();
        this.log = stateDir.resolve("logs/operator.log");
        this.pids = new PidFiles(stateDir);
        this.extraProperties = List.copyOf(extraProperties);
        this.shutdownHook = new Thread(this::stop, "operator-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** The operator's fast-jar, or a clear failure when it has not been built. */
    public static Path fastJar(Path projectRoot) {
        Path jar = projectRoot.resolve("operator/target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build the operator first (make build, or "
                    + "mvn -pl operator -am install -DskipTests)");
        }
        return jar;
    }

    /** Starts the operator and waits until it says it is ready. */
    public synchronized void start(Duration timeout) {
        httpPort = Loopback.freePort();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC",
                "-Xmx256m",
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + httpPort,
                // leader election is on in the prod profile only (fixed at build time): run as "sandbox"
                "-Dquarkus.profile=sandbox"));
        command.addAll(extraProperties);
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("KUBECONFIG", kubeconfig.toString());
        try {
            Files.createDirectories(log.getParent());
            Files.writeString(
                    log,
                    "---- " + Instant.now() + " starting the operator\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            process = builder.start();
            pids.record("operator", process.toHandle());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        awaitReady(timeout);
    }

    /** Stops the operator (SIGTERM, then SIGKILL after 10 s). */
    public synchronized void stop() {
        if (process != null) {
            ProcessTree.stop(process.toHandle(), Duration.ofSeconds(10));
            process = null;
            pids.forget("operator");
        }
    }

    public synchronized void restart(Duration timeout) {
        stop();
        start(timeout);
    }

    public synchronized Optional<ProcessHandle> process() {
        return process != null && process.isAlive() ? Optional.of(process.toHandle()) : Optional.empty();
    }

    public Path log() {
        return log;
    }

    private void awaitReady(Duration timeout) {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        URI ready = URI.create("http://127.0.0.1:" + httpPort + "/q/health/ready");
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the operator exited with " + process.exitValue() + ": see " + log);
            }
            try {
                int code = http.send(
                                HttpRequest.newBuilder(ready)
                                        .timeout(Duration.ofSeconds(2))
                                        .build(),
                                HttpResponse.BodyHandlers.discarding())
                        .statusCode();
                if (code == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the operator", e);
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the operator", e);
            }
        }
        throw new IllegalStateException("the operator was not ready within " + timeout.toSeconds() + " s: see " + log);
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or has run
        }
    }
}
