package dev.monoscope.sandbox;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The whole system on one machine: the embedded Kubernetes API, the local pod runner (the node), the operator and
 * the demo stream. {@link #main} is {@code make run}; the end-to-end tests start the same thing with their own
 * state directory and ports.
 */
public final class Sandbox implements AutoCloseable {

    /** Where {@code make run} listens: examples/demo.yaml points at the demo stream's port. */
    public static final int API_PORT = 16443;

    public static final int DEMO_STREAM_PORT = 18080;

    /**
     * @param root               the project root (worker and operator are run from their target folders)
     * @param stateDir           kubeconfig, logs/, volumes/ and the encoded demo clip
     * @param apiPort            0 for any free port
     * @param streamPort         0 for any free port
     * @param streamWidth        of the demo stream (720p for the demo; small for tests)
     * @param operatorProperties more {@code -D} options for the operator
     */
    public record Options(
            Path root,
            Path stateDir,
            int apiPort,
            int streamPort,
            int streamWidth,
            int streamHeight,
            List<String> operatorProperties) {

        /** What {@code make run} uses: fixed ports, 720p, state in {@code .sandbox/}. */
        public static Options demo(Path root) {
            return new Options(
                    root,
                    root.resolve(".sandbox"),
                    API_PORT,
                    DEMO_STREAM_PORT,
                    1280,
                    720,
                    List.of("-Dmonoscope.status.min-write-interval=1s"));
        }
    }

    private final Options options;
    private final List<AutoCloseable> started = new ArrayList<>();
    private EmbeddedApiServer api;
    private LocalPodRunner runner;
    private OperatorProcess operator;
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
        List<String> worker = LocalPodRunner.workerEntrypoint(options.root()); // fail early when not built
        OperatorProcess.fastJar(options.root());
        new PidFiles(state).stopLeftovers(); // of a run that was killed before it could stop them
        deleteTree(state.resolve("volumes")); // emptyDirs of a previous run

        Path clip = DemoStream.encode(state.resolve("media"), options.streamWidth(), options.streamHeight());
        stream = remember(DemoStream.start(clip, options.streamPort()));
        api = remember(EmbeddedApiServer.start(options.apiPort(), kubeconfig()));
        runner = remember(new LocalPodRunner(api.client(), worker, state).start());
        operator = remember(new OperatorProcess(options.root(), state, options.operatorProperties()));
        operator.start(Duration.ofSeconds(120));
    }

    private <T extends AutoCloseable> T remember(T resource) {
        started.add(resource);
        return resource;
    }

    public EmbeddedApiServer api() {
        return api;
    }

    public LocalPodRunner runner() {
        return runner;
    }

    public OperatorProcess operator() {
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
            for (HasMetadata item : api.client().load(in).items()) {
                api.client().resource(item).inNamespace(namespaceOf(item)).createOr(NonDeletingOperation::update);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String namespaceOf(HasMetadata item) {
        String ns = item.getMetadata().getNamespace();
        return ns == null ? EmbeddedApiServer.NAMESPACE : ns;
    }

    /** Stops the operator, every worker process, the demo stream and the API, in that order. */
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
        if (resource instanceof OperatorProcess) {
            return 0; // first, so that it does not recreate the pods being stopped
        }
        if (resource instanceof LocalPodRunner) {
            return 1;
        }
        return resource instanceof DemoStream ? 2 : 3;
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code make run}: start everything, apply examples/demo.yaml, show status and Events until Ctrl-C. */
    public static void main(String[] args) {
        // the embedded API's libraries warn about things that matter to their own tests, not to a sandbox user
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "error");
        }
        Path root = Path.of(System.getProperty("monoscope.root", "."))
                .toAbsolutePath()
                .normalize();
        Options options = Options.demo(root);
        System.out.println("Starting the Monoscope sandbox (the first run encodes the demo clip, about 15 s)...");
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

                Monoscope sandbox is up.
                  Kubernetes API  %s   (kubectl --kubeconfig %s get sm)
                  demo stream     %s   (every minute: black at 0:12, frozen at 0:28, silent at 0:44, 8 s each)
                  operator log    %s
                  worker logs     %s
                Applied %s. Ctrl-C stops everything.
                """,
                sandbox.api().url(),
                kubeconfig,
                sandbox.stream().url(),
                root.relativize(sandbox.operator().log()),
                root.relativize(options.stateDir().resolve("logs")),
                root.relativize(demo));
        new StatusView(sandbox.api().client(), System.out).run();
    }
}
