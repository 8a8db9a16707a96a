package dev.monoscope.sandbox;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the sandbox's node runs for a container image: a local command per image repository (the tag is ignored),
 * standing for the image's entrypoint; the container's {@code args} are appended. An image not in the table cannot
 * be pulled ({@code ErrImagePull}).
 */
public final class ImageTable {

    /** The command that stands for an image's entrypoint; it may bind the pod's own address. */
    @FunctionalInterface
    public interface Entrypoint {
        List<String> command(String podIp);
    }

    public static final String WORKER_IMAGE = "monoscope/worker";
    public static final String OPERATOR_IMAGE = "monoscope/operator";

    private final Map<String, Entrypoint> byRepository;

    public ImageTable(Map<String, Entrypoint> byRepository) {
        this.byRepository = Map.copyOf(byRepository);
    }

    /** Monoscope's two images, run from the built jars of the project at {@code root}; fails when one is missing. */
    public static ImageTable monoscope(Path root) {
        List<String> worker = workerCommand(root);
        List<String> operator = operatorCommand(root);
        return new ImageTable(Map.of(
                WORKER_IMAGE, podIp -> worker,
                OPERATOR_IMAGE, podIp -> withHttpHost(operator, podIp)));
    }

    /** The entrypoint of {@code image} ({@code repository[:tag][@digest]}), if the node has it. */
    public Optional<Entrypoint> entrypoint(String image) {
        return Optional.ofNullable(byRepository.get(repository(image)));
    }

    static String repository(String image) {
        String name = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
        int colon = name.lastIndexOf(':');
        return colon > name.lastIndexOf('/') ? name.substring(0, colon) : name;
    }

    /**
     * The worker image's entrypoint: the built worker jar with the worker's common JVM options
     * ({@code worker/jvm.options}, a Java argument file, when the project has one) and the sandbox pod's heap.
     */
    static List<String> workerCommand(Path root) {
        Path jar = root.resolve("worker/target/monoscope-worker.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build the worker first (make build)");
        }
        List<String> command = new ArrayList<>(List.of(java()));
        Path options = root.resolve("worker/jvm.options");
        if (Files.isRegularFile(options)) {
            command.add("@" + options);
        } else {
            command.addAll(List.of("-XX:+UseSerialGC", "-Xlog:cds*=off"));
        }
        command.addAll(List.of("-Xms32m", "-Xmx256m"));
        // the class archive bin/monoscope records after a build; the JVM itself refuses (silently, cds logging off)
        // one recorded against another jar or lib/
        File archive = root.resolve("worker/target/monoscope-worker.jsa").toFile();
        if (archive.isFile()) {
            command.add("-XX:SharedArchiveFile=" + archive);
        }
        command.addAll(List.of("-jar", jar.toString()));
        return List.copyOf(command);
    }

    /** The operator image's entrypoint: the built Quarkus fast-jar. */
    static List<String> operatorCommand(Path root) {
        Path jar = root.resolve("operator/target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(
                    jar + " is missing: build the operator first (make build, or mvn -pl operator -am install)");
        }
        return List.of(java(), "-XX:+UseSerialGC", "-Xmx256m", "-jar", jar.toString());
    }

    /** Quarkus listens on every address by default; a pod listens on its own. */
    private static List<String> withHttpHost(List<String> command, String podIp) {
        List<String> withHost = new ArrayList<>(command);
        withHost.add(1, "-Dquarkus.http.host=" + podIp);
        return withHost;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
