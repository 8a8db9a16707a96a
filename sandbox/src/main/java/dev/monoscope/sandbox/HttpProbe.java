package dev.monoscope.sandbox;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A container's HTTP probe, as the kubelet runs it: a GET on the pod's address, 2xx or 3xx within the timeout. */
final class HttpProbe {

    private static final HttpClient PROBES =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private HttpProbe() {}

    /** Whether {@code probe} passes against {@code container} at {@code ip}; exec and tcpSocket probes pass. */
    static boolean passes(Probe probe, String ip, Container container) {
        HTTPGetAction get = probe.getHttpGet();
        if (get == null) {
            return true; // exec and tcpSocket probes are not run in the sandbox: counted as passing
        }
        String path = get.getPath() == null ? "/" : get.getPath();
        URI uri = URI.create(
                "http://" + ip + ":" + port(get.getPort(), container) + (path.startsWith("/") ? path : "/" + path));
        try {
            HttpResponse<Void> response = PROBES.send(
                    HttpRequest.newBuilder(uri)
                            .timeout(Duration.ofSeconds(seconds(probe.getTimeoutSeconds(), 1)))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode() >= 200 && response.statusCode() < 400;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static int port(IntOrString port, Container container) {
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        return container.getPorts().stream()
                .filter(p -> port.getStrVal().equals(p.getName()))
                .map(p -> p.getContainerPort())
                .findFirst()
                .orElseThrow(
                        () -> new UncheckedIOException(new IOException("no container port named " + port.getStrVal())));
    }

    /** A probe's setting in seconds, or its Kubernetes default. */
    static int seconds(Integer value, int otherwise) {
        return value == null ? otherwise : value;
    }
}
