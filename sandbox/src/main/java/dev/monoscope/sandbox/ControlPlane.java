package dev.monoscope.sandbox;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The sandbox's Kubernetes control plane: etcd, kube-apiserver and kube-controller-manager of the pinned Kubernetes
 * release, each a local process on 127.0.0.1. The API serves TLS with a CA of the sandbox's own ({@code pki/}),
 * authorizes with RBAC and signs service-account tokens; the controller manager runs the controllers the sandbox
 * needs (deployments, replica sets, service accounts and their tokens, namespaces, garbage collection, the root CA
 * ConfigMap) and no node lifecycle, so that the sandbox's node never turns NotReady. The admin kubeconfig is
 * {@code <stateDir>/kubeconfig}.
 */
public final class ControlPlane implements AutoCloseable {

    public static final String NAMESPACE = "default";
    static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final String CONTROLLERS = String.join(
            ",",
            "deployment-controller",
            "replicaset-controller",
            "serviceaccount-controller",
            "serviceaccount-token-controller",
            "namespace-controller",
            "garbage-collector-controller",
            "root-ca-certificate-publisher-controller");

    private final ControlPlaneBinaries binaries;
    private final Path state;
    private final Path pki;
    private final int apiPort;
    private final LocalServer etcd;
    private final LocalServer apiServer;
    private final LocalServer controllerManager;
    private final String etcdUrl;
    private HttpClient probes;
    private KubernetesClient client;

    private ControlPlane(ControlPlaneBinaries binaries, Path stateDir, int apiPort) {
        this.binaries = binaries;
        this.state = stateDir;
        this.pki = stateDir.resolve("pki");
        this.apiPort = apiPort;
        int etcdPort = Loopback.freePort();
        this.etcdUrl = "http://127.0.0.1:" + etcdPort;
        this.etcd = new LocalServer("etcd", etcdCommand(etcdPort, Loopback.freePort()), stateDir);
        this.apiServer = new LocalServer("kube-apiserver", apiServerCommand(etcdPort), stateDir);
        this.controllerManager = new LocalServer("kube-controller-manager", controllerManagerCommand(), stateDir);
    }

    /**
     * Starts a fresh control plane (the etcd data of an earlier run is deleted) with the API on {@code apiPort}
     * (0: any free port) and writes the admin kubeconfig.
     */
    public static ControlPlane start(ControlPlaneBinaries binaries, Path stateDir, int apiPort) {
        Path state = stateDir.toAbsolutePath();
        FileTrees.delete(state.resolve("etcd"));
        ControlPlane plane = new ControlPlane(binaries, state, apiPort == 0 ? Loopback.freePort() : apiPort);
        try {
            plane.startAll();
            return plane;
        } catch (IOException e) {
            plane.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException | Error e) {
            plane.close();
            throw e;
        }
    }

    private void startAll() throws IOException {
        run(binaries.program("pki").toString(), pki.toString());
        // HTTP/1.1: the API server answers the JDK client's HTTP/2 with GOAWAY
        probes = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(1))
                .sslContext(Tls.trusting(caCertificate()))
                .build();
        etcd.start(this::etcdHealthy, START_TIMEOUT);
        apiServer.start(this::apiReady, START_TIMEOUT);
        Kubeconfig.write(kubeconfig(), Kubeconfig.of(url(), pki, "admin", NAMESPACE));
        Kubeconfig.write(
                state.resolve("pki/controller-manager.kubeconfig"),
                Kubeconfig.of(url(), pki, "controller-manager", "kube-system"));
        Config config = Config.fromKubeconfig(Files.readString(kubeconfig()));
        config.setHttp2Disable(true);
        config.setRequestTimeout(10_000);
        client = new KubernetesClientBuilder().withConfig(config).build();
        controllerManager.start(controllerManager::isAlive, START_TIMEOUT);
        // pods need their namespace's default ServiceAccount, made by the controller manager
        Await.until(
                "the default ServiceAccount (made by kube-controller-manager, log: " + controllerManager.log() + ")",
                () -> client.serviceAccounts()
                                .inNamespace(NAMESPACE)
                                .withName("default")
                                .get()
                        != null,
                START_TIMEOUT);
    }

    private List<String> etcdCommand(int clientPort, int peerPort) {
        String client = "http://127.0.0.1:" + clientPort;
        String peer = "http://127.0.0.1:" + peerPort;
        return List.of(
                binaries.program("etcd").toString(),
                "--name=sandbox",
                "--data-dir=" + state.resolve("etcd"),
                "--listen-client-urls=" + client,
                "--advertise-client-urls=" + client,
                "--listen-peer-urls=" + peer,
                "--initial-advertise-peer-urls=" + peer,
                "--initial-cluster=sandbox=" + peer,
                "--log-level=warn",
                // a throw-away store: fsync buys nothing here and costs seconds on a busy disk
                "--unsafe-no-fsync=true");
    }

    private List<String> apiServerCommand(int etcdPort) {
        return List.of(
                binaries.program("kube-apiserver").toString(),
                "--etcd-servers=http://127.0.0.1:" + etcdPort,
                "--bind-address=127.0.0.1",
                "--advertise-address=127.0.0.1",
                "--secure-port=" + apiPort,
                "--tls-cert-file=" + pki.resolve("apiserver.crt"),
                "--tls-private-key-file=" + pki.resolve("apiserver.key"),
                "--client-ca-file=" + pki.resolve("ca.crt"),
                "--authorization-mode=RBAC",
                "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
                "--service-account-key-file=" + pki.resolve("sa.pub"),
                "--service-account-signing-key-file=" + pki.resolve("sa.key"),
                "--service-cluster-ip-range=10.0.0.0/24",
                // no Endpoints for the kubernetes Service: a loopback address is not a valid endpoint
                "--endpoint-reconciler-type=none",
                "--enable-priority-and-fairness=false",
                "--profiling=false",
                "--cert-dir=" + state.resolve("apiserver"));
    }

    private List<String> controllerManagerCommand() {
        Path kubeconfig = state.resolve("pki/controller-manager.kubeconfig");
        return List.of(
                binaries.program("kube-controller-manager").toString(),
                "--kubeconfig=" + kubeconfig,
                "--authentication-kubeconfig=" + kubeconfig,
                "--authorization-kubeconfig=" + kubeconfig,
                "--bind-address=127.0.0.1",
                "--secure-port=0",
                "--leader-elect=false",
                "--controllers=" + CONTROLLERS,
                "--use-service-account-credentials=true",
                "--service-account-private-key-file=" + pki.resolve("sa.key"),
                "--root-ca-file=" + pki.resolve("ca.crt"),
                "--profiling=false");
    }

    /** The API's base URL, e.g. {@code https://127.0.0.1:16443}. */
    public String url() {
        return "https://127.0.0.1:" + apiPort;
    }

    public int apiPort() {
        return apiPort;
    }

    /** The admin kubeconfig (user {@code admin}, group {@code system:masters}). */
    public Path kubeconfig() {
        return state.resolve("kubeconfig");
    }

    /** The cluster CA's certificate, as a pod's service-account volume carries it. */
    public Path caCertificate() {
        return pki.resolve("ca.crt");
    }

    /** An admin client of this API (namespace {@value #NAMESPACE}); owned by the control plane, closed with it. */
    public KubernetesClient client() {
        return client;
    }

    public Path apiServerLog() {
        return apiServer.log();
    }

    /** Stops kube-apiserver and starts it again on the same port over the same etcd data. */
    public void restartApiServer() {
        apiServer.stop();
        apiServer.start(this::apiReady, START_TIMEOUT);
    }

    private boolean etcdHealthy() {
        return answersOk(etcdUrl + "/health");
    }

    private boolean apiReady() {
        return answersOk(url() + "/readyz");
    }

    /** Whether a GET of the URL answers 200 now (health endpoints are open to anonymous users). */
    private boolean answersOk(String url) {
        try {
            return probes.send(
                                    HttpRequest.newBuilder(URI.create(url))
                                            .timeout(Duration.ofSeconds(2))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode()
                    == 200;
        } catch (IOException notYet) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Stops the controller manager, the API server and etcd, in that order. */
    @Override
    public void close() {
        if (client != null) {
            client.close();
        }
        controllerManager.close();
        apiServer.close();
        etcd.close();
    }
}
