package dev.monoscope.sandbox;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The whole system on one machine: a real Kubernetes control plane (etcd, kube-apiserver, kube-controller-manager),
 * the node agent that runs pods as local processes, Monoscope installed by its Helm chart (the operator runs as the
 * chart's Deployment's pod) and the demo stream. {@link #main} is {@code make run}; the end-to-end tests start the
 * same thing with their own state directory and ports.
 */
public final class Sandbox implements AutoCloseable {

    /** Where {@code make run} listens: examples/demo.yaml points at the demo stream's port. */
    public static final int API_PORT = 16443;

    public static final int DEMO_STREAM_PORT = 18080;

    private static final Duration OPERATOR_START_TIMEOUT = Duration.ofSeconds(180);

    /**
     * @param root               the project root (worker and operator are run from their target folders)
     * @param stateDir    kubeconfig, pki/, etcd/, logs/, volumes/ and the encoded demo clip
     * @param apiPort     0 for any free port
     * @param streamPort  0 for any free port
     * @param streamWidth of the demo stream (720p for the demo; small for tests)
     * @param chartValues Helm {@code --set} values for the chart's installation
     * @param gpus        GPUs the node advertises
     */
    public record Options(
            Path root,
            Path stateDir,
            int apiPort,
            int streamPort,
            int streamWidth,
            int streamHeight,
            Map<String, String> chartValues,
            int gpus) {

        /** What {@code make run} uses: fixed ports, 720p, state in {@code .sandbox/}. */
        public static Options demo(Path root) {
            return new Options(
                    root,
                    root.resolve(".sandbox"),
                    API_PORT,
                    DEMO_STREAM_PORT,
                    1280,
                    720,
                    Map.of("status.minWriteInterval", "1s"),
                    0);
        }
    }

    private final Options options;
    private final List<AutoCloseable> started = new ArrayList<>();
    private ControlPlaneBinaries binaries;
    private ControlPlane controlPlane;
    private LocalPodRunner runner;
    private OperatorRelease operator;
    private DemoStream stream;

    private Sandbox(Options options) {
        this.options = options;
    }

    /** Starts everything; on a failure, stops what it had started and rethrows. */
    public static Sandbox start(Options options) {
        Sandbox sandbox = new Sandbox(options);
        try {
            sandbox.startAll();
            return sandbox;
        } catch (RuntimeException | Error e) {
            sandbox.close();
            throw e;
        }
    }

    private void startAll() {
        Path state = options.stateDir().toAbsolutePath();
        ImageTable images = ImageTable.monoscope(options.root()); // fails early when not built
        binaries = ControlPlaneBinaries.ensureBuilt(options.root());
        new PidFiles(state).stopLeftovers(); // of a run that was killed before it could stop them
        FileTrees.delete(state.resolve("volumes")); // of a previous run

        Path clip = DemoStream.encode(state.resolve("media"), options.streamWidth(), options.streamHeight());
        stream = remember(DemoStream.start(clip, options.streamPort()));
        controlPlane = remember(ControlPlane.start(binaries, state, options.apiPort()));
        runner = remember(
                new LocalPodRunner(controlPlane.client(), images, state, controlPlane.apiPort(), options.gpus())
                        .start());
        operator = OperatorRelease.install(
                options.root(),
                kubeconfig(),
                controlPlane.client(),
                runner,
                options.chartValues(),
                state.resolve("logs"),
                OPERATOR_START_TIMEOUT);
    }

    private <T extends AutoCloseable> T remember(T resource) {
        started.add(resource);
        return resource;
    }

    public ControlPlane controlPlane() {
        return controlPlane;
    }

    /** The kubectl built with the control plane. */
    public Path kubectl() {
        return binaries.program("kubectl");
    }

    public LocalPodRunner runner() {
        return runner;
    }

    public OperatorRelease operator() {
        return operator;
    }

    public DemoStream stream() {
        return stream;
    }

    public Path kubeconfig() {
        return options.stateDir().toAbsolutePath().resolve("kubeconfig");
    }

    /** {@code kubectl apply -f} for a file of one or more objects: each is created, or updated when it exists. */
    public void apply(Path manifest) {
        try (InputStream in = Files.newInputStream(manifest)) {
            KubernetesClient client = controlPlane.client();
            for (HasMetadata item : client.load(in).items()) {
                client.resource(item).inNamespace(namespaceOf(item)).createOr(NonDeletingOperation::update);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String namespaceOf(HasMetadata item) {
        String ns = item.getMetadata().getNamespace();
        return ns == null ? ControlPlane.NAMESPACE : ns;
    }

    /** Stops every pod's process (the operator's too), the demo stream and the control plane, in that order. */
    @Override
    public void close() {
        List<AutoCloseable> order = new ArrayList<>(started);
        order.sort(Comparator.comparingInt(Sandbox::stopOrder));
        for (AutoCloseable resource : order) {
            try {
                resource.close();
            } catch (Exception e) {
                System.err.println(
                        "sandbox: could not stop " + resource.getClass().getSimpleName() + ": " + e);
            }
        }
        started.clear();
    }

    private static int stopOrder(AutoCloseable resource) {
        if (resource instanceof LocalPodRunner) {
            return 0;
        }
        return resource instanceof DemoStream ? 1 : 2;
    }

    /** {@code make run}: start everything, apply examples/demo.yaml, show status and Events until Ctrl-C. */
    public static void main(String[] args) {
        // the Kubernetes client warns about things that matter to its own tests, not to a sandbox user
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "error");
        }
        Path root = Path.of(System.getProperty("monoscope.root", "."))
                .toAbsolutePath()
                .normalize();
        Options options = Options.demo(root);
        System.out.println("Starting the Monoscope sandbox (the first run builds the Kubernetes control plane and "
                + "encodes the demo clip)...");
        Instant starting = Instant.now();
        Sandbox sandbox;
        try {
            sandbox = start(options);
        } catch (RuntimeException e) {
            System.err.println("sandbox: " + e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            System.out.println("\nStopping the sandbox...");
                            sandbox.close();
                        },
                        "sandbox-shutdown"));
        Path demo = root.resolve("examples/demo.yaml");
        sandbox.apply(demo);
        Path kubeconfig = root.relativize(sandbox.kubeconfig());
        System.out.printf(
                """

                Monoscope sandbox is up (%d s).
                  Kubernetes API  %s   (export KUBECONFIG=%s; %s get sm)
                  demo stream     %s   (every minute: black at 0:12, frozen at 0:28, silent at 0:44, 8 s each)
                  mosaic          %s   (every stream's live picture, in a browser)
                  operator log    %s
                  worker logs     %s
                Applied %s. Ctrl-C stops everything.
                """,
                Duration.between(starting, Instant.now()).toSeconds(),
                sandbox.controlPlane().url(),
                kubeconfig,
                root.relativize(sandbox.kubectl()),
                sandbox.stream().url(),
                sandbox.operator().mosaicUrl().orElse("(the operator's pod has no IP yet)"),
                root.relativize(sandbox.operator().log()),
                root.relativize(options.stateDir().resolve("logs")),
                root.relativize(demo));
        new StatusView(sandbox.controlPlane().client(), System.out).run();
    }
}
