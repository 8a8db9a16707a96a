package dev.monoscope.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The control plane's programs (etcd, kube-apiserver, kube-controller-manager, kubectl and the certificate tool),
 * built from the Go module in {@code sandbox/controlplane} into {@code .sandbox/bin}: on first use, and again when
 * that module changed. The first build downloads and compiles Kubernetes (many minutes); later ones are seconds.
 */
public final class ControlPlaneBinaries {

    static final List<String> PROGRAMS = List.of("etcd", "kube-apiserver", "kube-controller-manager", "kubectl", "pki");
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(45);

    private final Path module;
    private final Path bin;

    private ControlPlaneBinaries(Path projectRoot) {
        this.module = projectRoot.resolve("sandbox/controlplane");
        this.bin = projectRoot.resolve(".sandbox/bin");
    }

    /** The built programs of this project, building them first when they are missing or older than the module. */
    public static ControlPlaneBinaries ensureBuilt(Path projectRoot) {
        ControlPlaneBinaries binaries = new ControlPlaneBinaries(projectRoot);
        if (!binaries.upToDate()) {
            binaries.build();
        }
        return binaries;
    }

    /** A program's path, e.g. {@code program("kubectl")}. */
    public Path program(String name) {
        return bin.resolve(name);
    }

    private boolean upToDate() {
        try (Stream<Path> sources = Files.walk(module)) {
            FileTime newestSource = sources.filter(Files::isRegularFile)
                    .map(ControlPlaneBinaries::modified)
                    .max(FileTime::compareTo)
                    .orElseThrow(() -> new IllegalStateException(module + " is missing"));
            return PROGRAMS.stream()
                    .map(this::program)
                    .allMatch(p -> Files.isExecutable(p) && modified(p).compareTo(newestSource) > 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void build() {
        System.out.println("Building the Kubernetes control plane into " + bin
                + " (the first build downloads and compiles Kubernetes: many minutes; log: " + log() + ")");
        Instant started = Instant.now();
        try {
            Files.createDirectories(bin);
            Process build = new ProcessBuilder(module.resolve("build.sh").toString(), bin.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(log().toFile())
                    .start();
            if (!build.waitFor(BUILD_TIMEOUT.toMinutes(), TimeUnit.MINUTES)) {
                ProcessTree.stop(build.toHandle(), Duration.ofSeconds(5));
                throw new IllegalStateException(
                        "the control plane build took over " + BUILD_TIMEOUT.toMinutes() + " minutes: see " + log());
            }
            if (build.exitValue() != 0) {
                throw new IllegalStateException("the control plane build failed: see " + log() + "\n" + tail(log()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building the control plane", e);
        }
        System.out.printf(
                "Built the control plane in %d s%n",
                Duration.between(started, Instant.now()).toSeconds());
    }

    private Path log() {
        return bin.resolve("build.log");
    }

    private static String tail(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }

    private static FileTime modified(Path path) {
        try {
            return Files.getLastModifiedTime(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
