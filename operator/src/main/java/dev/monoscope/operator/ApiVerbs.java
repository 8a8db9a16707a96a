package dev.monoscope.operator;

import java.util.List;
import java.util.Map;

/**
 * Every Kubernetes API verb the operator uses, per resource, in one place: the Helm chart's RBAC is checked
 * against this table, and every write goes through {@link ApiWrites}, which names one of these verbs.
 */
public final class ApiVerbs {

    public static final String GET = "get";
    public static final String LIST = "list";
    public static final String WATCH = "watch";
    public static final String CREATE = "create";
    public static final String UPDATE = "update";
    public static final String PATCH = "patch";
    public static final String DELETE = "delete";

    /** A resource as RBAC names it: API group ("" for core) and resource (with subresource). */
    public record Resource(String group, String resource) {}

    public static final Resource STREAM_MONITORS = new Resource("monoscope.dev", "streammonitors");
    public static final Resource STREAM_MONITOR_STATUS = new Resource("monoscope.dev", "streammonitors/status");
    public static final Resource PODS = new Resource("", "pods");
    public static final Resource EVENTS = new Resource("", "events");
    public static final Resource LEASES = new Resource("coordination.k8s.io", "leases");
    public static final Resource MONITOR_CLASSES = new Resource("monoscope.dev", "monitorclasses");
    public static final Resource NAMESPACES = new Resource("", "namespaces");

    /** Cluster-scoped: granted cluster-wide whatever namespaces the operator watches. */
    public static final List<Resource> CLUSTER_SCOPED = List.of(MONITOR_CLASSES, NAMESPACES);

    /**
     * resource → verbs. Leases: leader election, where JOSDK checks for get, create and update at start and
     * fabric8's LeaseLock then gets, creates and patches. MonitorClasses and Namespaces: read by informers (a
     * class's namespaceSelector selects namespaces by label).
     */
    public static final Map<Resource, List<String>> TABLE = Map.of(
            STREAM_MONITORS, List.of(GET, LIST, WATCH),
            STREAM_MONITOR_STATUS, List.of(GET, UPDATE),
            PODS, List.of(GET, LIST, WATCH, CREATE, DELETE),
            EVENTS, List.of(GET, LIST, CREATE, PATCH),
            LEASES, List.of(GET, CREATE, UPDATE, PATCH),
            MONITOR_CLASSES, List.of(GET, LIST, WATCH),
            NAMESPACES, List.of(GET, LIST, WATCH));

    private ApiVerbs() {}
}
