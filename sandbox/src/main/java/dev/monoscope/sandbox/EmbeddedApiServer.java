package dev.monoscope.sandbox;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The sandbox's Kubernetes API: the fabric8 mock server in CRUD mode, plain HTTP on loopback, with the discovery
 * documents kubectl needs, the StreamMonitor CRD installed and a kubeconfig written for kubectl and the operator.
 * It stores objects and serves watches; it has no controllers, no garbage collector, no admission and no CEL.
 */
public final class EmbeddedApiServer implements AutoCloseable {

    /** The generated CRD, shipped in the monoscope-crds jar. */
    public static final String CRD_RESOURCE = "META-INF/fabric8/streammonitors.monoscope.dev-v1.yml";

    public static final String NAMESPACE = "default";

    /** Held so that the level sticks: the mock web server logs every request at INFO through JUL. */
    private static final Logger MOCK_LOG = Logger.getLogger("io.fabric8.mockwebserver");

    static {
        MOCK_LOG.setLevel(Level.WARNING);
    }

    private final KubernetesMockServer server;
    private final String url;
    private final KubernetesClient client;
    private final Thread requestDrain;

    private EmbeddedApiServer(KubernetesMockServer server, String url) {
        this.server = server;
        this.url = url;
        this.client =
                new KubernetesClientBuilder().withConfig(clientConfig(url)).build();
        // The mock web server records every request for test assertions; drain them, or a long run grows forever.
        this.requestDrain = new Thread(this::drainRequests, "api-request-drain");
        requestDrain.setDaemon(true);
        requestDrain.start();
    }

    /**
     * Starts the API on 127.0.0.1 at {@code port} (0: any free port), installs the StreamMonitor CRD and writes a
     * kubeconfig pointing at it.
     */
    public static EmbeddedApiServer start(int port, Path kubeconfig) {
        int chosen = port == 0 ? Loopback.freePort() : port;
        String address = "127.0.0.1:" + chosen;
        KubernetesCrudDispatcher crud = new KubernetesCrudDispatcher();
        KubernetesMockServer server = new KubernetesMockServer(
                new Context(Serialization.jsonMapper()),
                new MockWebServer(),
                new HashMap<>(),
                new ApiDispatcher(crud, address),
                false);
        try {
            server.init(InetAddress.getByName("127.0.0.1"), chosen);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        EmbeddedApiServer api = new EmbeddedApiServer(server, "http://" + address);
        api.installCrd();
        api.writeKubeconfig(kubeconfig);
        return api;
    }

    /** The API's base URL, e.g. {@code http://127.0.0.1:16443}. */
    public String url() {
        return url;
    }

    /** A client of this API (namespace {@value #NAMESPACE}); owned by this server, closed with it. */
    public KubernetesClient client() {
        return client;
    }

    /** A fabric8 configuration for this API, for clients that a caller owns. */
    public static Config clientConfig(String url) {
        return new ConfigBuilder(Config.empty())
                .withMasterUrl(url)
                .withNamespace(NAMESPACE)
                .withHttp2Disable(true)
                .withRequestTimeout(10_000)
                .build();
    }

    private void installCrd() {
        try (InputStream yaml = EmbeddedApiServer.class.getClassLoader().getResourceAsStream(CRD_RESOURCE)) {
            if (yaml == null) {
                throw new IllegalStateException(CRD_RESOURCE + " is not on the classpath: build crds/ first");
            }
            CustomResourceDefinition crd = Serialization.unmarshal(yaml, CustomResourceDefinition.class);
            client.apiextensions()
                    .v1()
                    .customResourceDefinitions()
                    .resource(crd)
                    .create();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void writeKubeconfig(Path file) {
        String yaml = """
                apiVersion: v1
                kind: Config
                clusters:
                - name: monoscope-sandbox
                  cluster:
                    server: %s
                contexts:
                - name: monoscope-sandbox
                  context:
                    cluster: monoscope-sandbox
                    user: monoscope-sandbox
                    namespace: %s
                current-context: monoscope-sandbox
                users:
                - name: monoscope-sandbox
                  user: {}
                """.formatted(url, NAMESPACE);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void drainRequests() {
        try {
            while (true) {
                server.takeRequest();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        requestDrain.interrupt();
        client.close();
        server.destroy();
    }
}
