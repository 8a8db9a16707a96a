package dev.monoscope.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sits in front of the fabric8 CRUD dispatcher and makes up for what it lacks as a Kubernetes API (DESIGN.md,
 * "Known ground"):
 * <ul>
 * <li>the discovery documents that kubectl needs: {@code /version}, {@code /api}, {@code /api/v1}, {@code /apis}
 * (built from the CRDs stored in the server), {@code /apis/<group>/<version>}, and an empty {@code /openapi/};</li>
 * <li>JSON merge patches as RFC 7386 says (the mock appends to lists instead of replacing them): merged here and
 * stored as an update;</li>
 * <li>writes whose path carries a query string (the mock silently ignores them on {@code /status});</li>
 * <li>field selectors on lists ({@code kubectl describe} finds an object's Events with one): filtered here;</li>
 * <li>self permission reviews, answered "allowed": the sandbox has no RBAC.</li>
 * </ul>
 * Everything else goes to the CRUD dispatcher as it is.
 */
final class ApiDispatcher extends Dispatcher {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CRD_PATH = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";
    private static final List<String> ALL_VERBS =
            List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

    /** The built-in resources the sandbox stores, by group/version: plural, kind, namespaced, short names. */
    private static final Map<String, List<BuiltIn>> BUILT_INS = Map.of(
            "v1",
                    List.of(
                            new BuiltIn("pods", "Pod", true, true, "po"),
                            new BuiltIn("services", "Service", true, true, "svc"),
                            new BuiltIn("secrets", "Secret", true, false),
                            new BuiltIn("configmaps", "ConfigMap", true, false, "cm"),
                            new BuiltIn("events", "Event", true, false, "ev"),
                            new BuiltIn("namespaces", "Namespace", false, true, "ns"),
                            new BuiltIn("serviceaccounts", "ServiceAccount", true, false, "sa"),
                            new BuiltIn("endpoints", "Endpoints", true, false, "ep"),
                            new BuiltIn("nodes", "Node", false, true, "no")),
            "apps/v1",
                    List.of(
                            new BuiltIn("deployments", "Deployment", true, true, "deploy"),
                            new BuiltIn("statefulsets", "StatefulSet", true, true, "sts"),
                            new BuiltIn("daemonsets", "DaemonSet", true, true, "ds"),
                            new BuiltIn("replicasets", "ReplicaSet", true, true, "rs")),
            "apiextensions.k8s.io/v1",
                    List.of(new BuiltIn(
                            "customresourcedefinitions", "CustomResourceDefinition", false, true, "crd", "crds")),
            "coordination.k8s.io/v1", List.of(new BuiltIn("leases", "Lease", true, false)),
            "authorization.k8s.io/v1",
                    List.of(
                            new BuiltIn("selfsubjectaccessreviews", "SelfSubjectAccessReview", false, false),
                            new BuiltIn("selfsubjectrulesreviews", "SelfSubjectRulesReview", true, false)));

    private record BuiltIn(String plural, String kind, boolean namespaced, boolean hasStatus, String... shortNames) {}

    private final KubernetesCrudDispatcher crud;
    private final String serverAddress;

    ApiDispatcher(KubernetesCrudDispatcher crud, String serverAddress) {
        this.crud = crud;
        this.serverAddress = serverAddress;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        if ("POST".equalsIgnoreCase(request.getMethod()) && request.getPath().contains("/apis/authorization.k8s.io/")) {
            return permissionReview(request);
        }
        if ("PATCH".equalsIgnoreCase(request.getMethod())
                && String.valueOf(request.getHeader("Content-Type")).contains("merge-patch")) {
            return mergePatch(request);
        }
        if ("PUT".equalsIgnoreCase(request.getMethod()) || "PATCH".equalsIgnoreCase(request.getMethod())) {
            return crud.dispatch(withoutQuery(request, request.method(), request.getBody(), request.getHeaders()));
        }
        if (!"GET".equalsIgnoreCase(request.getMethod())) {
            return crud.dispatch(request);
        }
        String path = request.getPath();
        int query = path.indexOf('?');
        String bare = query < 0 ? path : path.substring(0, query);
        if (bare.length() > 1 && bare.endsWith("/")) {
            bare = bare.substring(0, bare.length() - 1);
        }
        try {
            JsonNode answer = discovery(bare);
            if (answer != null) {
                return new MockResponse()
                        .setResponseCode(200)
                        .setHeader("Content-Type", "application/json")
                        .setBody(JSON.writeValueAsString(answer));
            }
        } catch (Exception e) {
            return new MockResponse().setResponseCode(500).setBody(String.valueOf(e.getMessage()));
        }
        if (query >= 0 && path.contains("fieldSelector=") && !path.contains("watch=true")) {
            return withFieldSelector(path);
        }
        if (bare.startsWith("/openapi")) {
            return new MockResponse()
                    .setResponseCode(404)
                    .setHeader("Content-Type", "application/json")
                    .setBody(
                            "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"NotFound\",\"code\":404}");
        }
        return crud.dispatch(request);
    }

    /** A list request with a field selector: the list without it, filtered by its {@code a.b=v} / {@code a.b!=v} terms. */
    private MockResponse withFieldSelector(String path) {
        String bare = stripQuery(path);
        List<String> kept = new ArrayList<>();
        List<String[]> terms = new ArrayList<>();
        for (String param : path.substring(path.indexOf('?') + 1).split("&")) {
            if (param.startsWith("fieldSelector=")) {
                String selector = URLDecoder.decode(param.substring("fieldSelector=".length()), StandardCharsets.UTF_8);
                for (String term : selector.split(",")) {
                    boolean not = term.contains("!=");
                    String[] kv = term.split(not ? "!=" : "==?", 2);
                    terms.add(new String[] {kv[0].trim(), kv.length > 1 ? kv[1].trim() : "", not ? "!" : "="});
                }
            } else {
                kept.add(param);
            }
        }
        MockResponse response = crud.handleGet(kept.isEmpty() ? bare : bare + "?" + String.join("&", kept));
        try {
            JsonNode list = JSON.readTree(response.getBody().readUtf8());
            if (response.code() != 200 || !list.has("items")) {
                return new MockResponse().setResponseCode(response.code()).setBody(JSON.writeValueAsString(list));
            }
            ArrayNode matching = JSON.createArrayNode();
            for (JsonNode item : list.path("items")) {
                if (terms.stream().allMatch(t -> field(item, t[0]).equals(t[1]) == t[2].equals("="))) {
                    matching.add(item);
                }
            }
            ((ObjectNode) list).set("items", matching);
            return new MockResponse()
                    .setResponseCode(200)
                    .setHeader("Content-Type", "application/json")
                    .setBody(JSON.writeValueAsString(list));
        } catch (Exception e) {
            return new MockResponse().setResponseCode(500).setBody(String.valueOf(e.getMessage()));
        }
    }

    private static String field(JsonNode item, String dottedPath) {
        JsonNode node = item;
        for (String key : dottedPath.split("\\.")) {
            node = node.path(key);
        }
        return node.isValueNode() ? node.asText() : "";
    }

    /** RFC 7386 on the stored object, then an update (which keeps status or spec as the path says). */
    private MockResponse mergePatch(RecordedRequest request) {
        String path = stripQuery(request.getPath());
        String objectPath = path.endsWith("/status") ? path.substring(0, path.length() - "/status".length()) : path;
        try {
            MockResponse current = crud.handleGet(objectPath);
            if (current.code() != 200) {
                return current;
            }
            JsonNode merged = merge(
                    JSON.readTree(current.getBody().readUtf8()),
                    JSON.readTree(request.getBody().readUtf8()));
            Buffer body = new Buffer().writeUtf8(JSON.writeValueAsString(merged));
            Headers json = request.getHeaders()
                    .newBuilder()
                    .set("Content-Type", "application/json")
                    .build();
            return crud.dispatch(withoutQuery(request, HttpMethod.PUT, body, json));
        } catch (Exception e) {
            return new MockResponse().setResponseCode(400).setBody(String.valueOf(e.getMessage()));
        }
    }

    private static JsonNode merge(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch;
        }
        ObjectNode result =
                target != null && target.isObject() ? ((ObjectNode) target).deepCopy() : JSON.createObjectNode();
        patch.fields().forEachRemaining(field -> {
            if (field.getValue().isNull()) {
                result.remove(field.getKey());
            } else {
                result.set(field.getKey(), merge(result.get(field.getKey()), field.getValue()));
            }
        });
        return result;
    }

    private static RecordedRequest withoutQuery(
            RecordedRequest request, HttpMethod method, Buffer body, Headers headers) {
        return new RecordedRequest(request.getHttpVersion(), method, stripQuery(request.getPath()), headers, body);
    }

    private static String stripQuery(String path) {
        int query = path.indexOf('?');
        return query < 0 ? path : path.substring(0, query);
    }

    /**
     * The sandbox has no RBAC: every self-review says everything is allowed (the Java Operator SDK checks its
     * permissions this way before it starts leader election).
     */
    private static MockResponse permissionReview(RecordedRequest request) {
        try {
            ObjectNode review = (ObjectNode) JSON.readTree(request.getBody().readUtf8());
            ObjectNode status = review.putObject("status");
            if (request.getPath().contains("selfsubjectrulesreviews")) {
                ObjectNode rule = status.putArray("resourceRules").addObject();
                rule.putArray("verbs").add("*");
                rule.putArray("apiGroups").add("*");
                rule.putArray("resources").add("*");
                status.putArray("nonResourceRules")
                        .addObject()
                        .putArray("verbs")
                        .add("*");
                status.put("incomplete", false);
            } else {
                status.put("allowed", true);
            }
            return new MockResponse()
                    .setResponseCode(201)
                    .setHeader("Content-Type", "application/json")
                    .setBody(JSON.writeValueAsString(review));
        } catch (Exception e) {
            return new MockResponse().setResponseCode(400).setBody(String.valueOf(e.getMessage()));
        }
    }

    @Override
    public void shutdown() {
        crud.shutdown();
    }

    /** The discovery document at this path, or null when the path is not a discovery path. */
    private JsonNode discovery(String path) throws Exception {
        String[] segments = path.substring(1).split("/");
        if (path.equals("/version")) {
            return version();
        }
        if (path.equals("/api")) {
            ObjectNode versions = JSON.createObjectNode().put("kind", "APIVersions");
            versions.putArray("versions").add("v1");
            versions.putArray("serverAddressByClientCIDRs")
                    .addObject()
                    .put("clientCIDR", "0.0.0.0/0")
                    .put("serverAddress", serverAddress);
            return versions;
        }
        if (path.equals("/api/v1")) {
            return resourceList("v1", builtInResources("v1"));
        }
        if (path.equals("/apis")) {
            return groupList();
        }
        if (segments.length == 2 && segments[0].equals("apis")) {
            return group(segments[1]);
        }
        if (segments.length == 3 && segments[0].equals("apis")) {
            String groupVersion = segments[1] + "/" + segments[2];
            List<ObjectNode> resources = new ArrayList<>(builtInResources(groupVersion));
            resources.addAll(customResources(segments[1], segments[2]));
            return resources.isEmpty() ? null : resourceList(groupVersion, resources);
        }
        return null;
    }

    private static ObjectNode version() {
        return JSON.createObjectNode()
                .put("major", "1")
                .put("minor", "32")
                .put("gitVersion", "v1.32.0-monoscope-sandbox")
                .put("gitCommit", "0000000000000000000000000000000000000000")
                .put("gitTreeState", "clean")
                .put("buildDate", "2026-01-01T00:00:00Z")
                .put("goVersion", "go1.23")
                .put("compiler", "gc")
                .put("platform", "linux/amd64");
    }

    private ObjectNode groupList() throws Exception {
        Map<String, List<String>> versionsByGroup = new LinkedHashMap<>();
        for (String groupVersion : BUILT_INS.keySet()) {
            if (groupVersion.contains("/")) {
                String[] gv = groupVersion.split("/");
                versionsByGroup.computeIfAbsent(gv[0], g -> new ArrayList<>()).add(gv[1]);
            }
        }
        for (JsonNode crd : storedCrds()) {
            String group = crd.path("spec").path("group").asText();
            for (JsonNode version : crd.path("spec").path("versions")) {
                List<String> versions = versionsByGroup.computeIfAbsent(group, g -> new ArrayList<>());
                if (!versions.contains(version.path("name").asText())) {
                    versions.add(version.path("name").asText());
                }
            }
        }
        ObjectNode list = JSON.createObjectNode().put("kind", "APIGroupList").put("apiVersion", "v1");
        ArrayNode groups = list.putArray("groups");
        versionsByGroup.forEach((group, versions) -> groups.add(groupNode(group, versions)));
        return list;
    }

    private JsonNode group(String name) throws Exception {
        for (JsonNode group : groupList().path("groups")) {
            if (group.path("name").asText().equals(name)) {
                ((ObjectNode) group).put("kind", "APIGroup").put("apiVersion", "v1");
                return group;
            }
        }
        return null;
    }

    private static ObjectNode groupNode(String group, List<String> versions) {
        ObjectNode node = JSON.createObjectNode().put("name", group);
        ArrayNode versionNodes = node.putArray("versions");
        for (String version : versions) {
            versionNodes.addObject().put("groupVersion", group + "/" + version).put("version", version);
        }
        node.putObject("preferredVersion")
                .put("groupVersion", group + "/" + versions.get(0))
                .put("version", versions.get(0));
        return node;
    }

    private static ObjectNode resourceList(String groupVersion, List<ObjectNode> resources) {
        ObjectNode list = JSON.createObjectNode()
                .put("kind", "APIResourceList")
                .put("apiVersion", "v1")
                .put("groupVersion", groupVersion);
        list.putArray("resources").addAll(resources);
        return list;
    }

    private static List<ObjectNode> builtInResources(String groupVersion) {
        List<ObjectNode> resources = new ArrayList<>();
        for (BuiltIn builtIn : BUILT_INS.getOrDefault(groupVersion, List.of())) {
            resources.addAll(resource(
                    builtIn.plural,
                    builtIn.kind,
                    builtIn.namespaced,
                    builtIn.hasStatus,
                    List.of(builtIn.shortNames),
                    List.of()));
        }
        return resources;
    }

    private List<ObjectNode> customResources(String group, String version) throws Exception {
        List<ObjectNode> resources = new ArrayList<>();
        for (JsonNode crd : storedCrds()) {
            JsonNode spec = crd.path("spec");
            if (!spec.path("group").asText().equals(group)) {
                continue;
            }
            for (JsonNode v : spec.path("versions")) {
                if (v.path("name").asText().equals(version)) {
                    JsonNode names = spec.path("names");
                    resources.addAll(resource(
                            names.path("plural").asText(),
                            names.path("kind").asText(),
                            "Namespaced".equals(spec.path("scope").asText()),
                            v.path("subresources").has("status"),
                            texts(names.path("shortNames")),
                            texts(names.path("categories"))));
                }
            }
        }
        return resources;
    }

    private static List<ObjectNode> resource(
            String plural,
            String kind,
            boolean namespaced,
            boolean hasStatus,
            List<String> shortNames,
            List<String> categories) {
        ObjectNode main = JSON.createObjectNode()
                .put("name", plural)
                .put("singularName", kind.toLowerCase())
                .put("namespaced", namespaced)
                .put("kind", kind);
        ArrayNode verbs = main.putArray("verbs");
        ALL_VERBS.forEach(verbs::add);
        if (!shortNames.isEmpty()) {
            ArrayNode names = main.putArray("shortNames");
            shortNames.forEach(names::add);
        }
        if (!categories.isEmpty()) {
            ArrayNode names = main.putArray("categories");
            categories.forEach(names::add);
        }
        List<ObjectNode> resources = new ArrayList<>(List.of(main));
        if (hasStatus) {
            ObjectNode status = JSON.createObjectNode()
                    .put("name", plural + "/status")
                    .put("singularName", "")
                    .put("namespaced", namespaced)
                    .put("kind", kind);
            status.putArray("verbs").add("get").add("patch").add("update");
            resources.add(status);
        }
        return resources;
    }

    private List<JsonNode> storedCrds() throws Exception {
        MockResponse response = crud.handleGet(CRD_PATH);
        List<JsonNode> crds = new ArrayList<>();
        if (response.code() == 200 && response.getBody() != null) {
            JSON.readTree(response.getBody().readUtf8()).path("items").forEach(crds::add);
        }
        return crds;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(n -> texts.add(n.asText()));
        return texts;
    }
}
