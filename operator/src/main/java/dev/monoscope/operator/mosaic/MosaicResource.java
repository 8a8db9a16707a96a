package dev.monoscope.operator.mosaic;

import dev.monoscope.api.v1alpha1.StreamMonitor;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The mosaic (docs/architecture.md, "Mosaic"), read-only: {@code /} every StreamMonitor as a tile, by namespace;
 * {@code /streams/{namespace}/{name}} one stream's page; the JSON its script polls every 2 s
 * ({@code /mosaic/api/tiles}) and, for the tiles on screen, each stream's thumbnail and live readings proxied from a
 * worker pod. Built from the informer caches, so any replica serves it; only a stream's Events are read from the API.
 */
@Path("/")
public class MosaicResource {

    private final MonitorCache cache;
    private final WorkerProxy proxy;
    private final KubernetesClient client;

    @Inject
    Template mosaic;

    @Inject
    Template stream;

    public MosaicResource(MonitorCache cache, WorkerProxy proxy, KubernetesClient client) {
        this.cache = cache;
        this.proxy = proxy;
        this.client = client;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance mosaic() {
        List<Tile> tiles = tiles();
        Map<String, List<Tile>> byNamespace = new LinkedHashMap<>();
        tiles.forEach(t -> byNamespace
                .computeIfAbsent(t.namespace(), n -> new java.util.ArrayList<>())
                .add(t));
        return mosaic.data("groups", byNamespace.entrySet()).data("count", tiles.size());
    }

    @GET
    @Path("streams/{namespace}/{name}")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance stream(@PathParam("namespace") String namespace, @PathParam("name") String name) {
        StreamMonitor m = find(namespace, name);
        return stream.data("page", StreamPage.of(m, events(m), Instant.now()));
    }

    @GET
    @Path("mosaic/api/tiles")
    @Produces(MediaType.APPLICATION_JSON)
    public List<Tile> tiles() {
        return cache.monitors().stream().map(Tile::of).toList();
    }

    @GET
    @Path("mosaic/api/live/{namespace}/{name}")
    @Produces(MediaType.APPLICATION_JSON)
    public CompletionStage<Response> live(@PathParam("namespace") String namespace, @PathParam("name") String name) {
        Optional<Pod> pod = pod(namespace, name);
        if (pod.isEmpty()) {
            return CompletableFuture.completedFuture(Response.status(404).build());
        }
        return proxy.live(pod.get())
                .thenApply(live -> live.map(l -> Response.ok(l).header("Cache-Control", "no-store"))
                        .orElse(Response.status(502))
                        .build())
                .exceptionally(
                        e -> Response.status(WorkerProxy.failure(e).status()).build());
    }

    @GET
    @Path("mosaic/thumbnail/{namespace}/{name}")
    public CompletionStage<Response> thumbnail(
            @PathParam("namespace") String namespace, @PathParam("name") String name) {
        Optional<Pod> pod = pod(namespace, name);
        CompletableFuture<WorkerProxy.Answer> answer = pod.isEmpty()
                ? CompletableFuture.completedFuture(WorkerProxy.Answer.json(
                        404, "{\"reason\":\"no_worker\",\"message\":\"no worker pod is running\"}"))
                : proxy.thumbnail(pod.get()).exceptionally(WorkerProxy::failure);
        return answer.thenApply(a -> {
            Response.ResponseBuilder r = Response.status(a.status())
                    .entity(a.body())
                    .type(a.contentType())
                    .header("Cache-Control", "no-store");
            if (a.ageMillis() != null && a.ageMillis().matches("\\d{1,12}")) {
                r.header(WorkerProxy.AGE_HEADER, a.ageMillis());
            }
            return r.build();
        });
    }

    @GET
    @Path("mosaic/evidence/{namespace}/{name}/{file}")
    public CompletionStage<Response> evidence(
            @PathParam("namespace") String namespace, @PathParam("name") String name, @PathParam("file") String file) {
        Optional<Pod> pod = pod(namespace, name);
        CompletableFuture<WorkerProxy.Answer> answer = pod.isEmpty()
                ? CompletableFuture.completedFuture(WorkerProxy.Answer.json(
                        404, "{\"reason\":\"no_worker\",\"message\":\"no worker pod is running\"}"))
                : proxy.evidence(pod.get(), file).exceptionally(WorkerProxy::failure);
        return answer.thenApply(a -> Response.status(a.status())
                .entity(a.body())
                .type(a.contentType())
                .header("Cache-Control", "private, max-age=3600")
                .build());
    }

    private StreamMonitor find(String namespace, String name) {
        return cache.monitor(namespace, name).orElseThrow(() -> new NotFoundException("no such StreamMonitor"));
    }

    private Optional<Pod> pod(String namespace, String name) {
        return cache.monitor(namespace, name).filter(WorkerProxy::askable).flatMap(cache::reportingPod);
    }

    /** The StreamMonitor's Events (a field selector on its name, then its UID checked). */
    private List<Event> events(StreamMonitor m) {
        try {
            return client
                    .v1()
                    .events()
                    .inNamespace(m.getMetadata().getNamespace())
                    .withField("involvedObject.name", m.getMetadata().getName())
                    .list()
                    .getItems()
                    .stream()
                    .filter(e -> e.getInvolvedObject() != null
                            && m.getMetadata()
                                    .getUid()
                                    .equals(e.getInvolvedObject().getUid()))
                    .toList();
        } catch (KubernetesClientException e) {
            return List.of(); // the page still shows status; the Events list says none
        }
    }
}
