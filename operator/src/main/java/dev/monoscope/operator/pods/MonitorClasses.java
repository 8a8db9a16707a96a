package dev.monoscope.operator.pods;

import dev.monoscope.api.v1alpha1.MonitorClass;
import dev.monoscope.api.v1alpha1.StreamMonitor;
import dev.monoscope.operator.OperatorConfig;
import io.fabric8.kubernetes.api.model.Namespace;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import jakarta.inject.Singleton;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which MonitorClass a StreamMonitor runs with: the one it names, else the class marked default, else none (the
 * operator's own settings, as before classes existed). A class that does not exist, or whose namespaceSelector
 * does not admit the StreamMonitor's namespace, runs nothing and says why. Classes and namespaces are read from
 * the operator's informers, and a change of either reconciles the StreamMonitors it concerns.
 */
@Singleton
public class MonitorClasses {

    public static final String REASON_NOT_FOUND = "MonitorClassNotFound";
    public static final String REASON_NOT_ALLOWED = "MonitorClassNotAllowed";
    /** The label the API server gives every namespace, its name. */
    static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

    /** What a StreamMonitor runs with; or, when {@code problem} is set, why it runs nothing. */
    public record Resolution(WorkerClass workerClass, String reason, String problem) {
        public boolean refused() {
            return problem != null;
        }
    }

    /** Where classes and namespaces are read from. */
    public interface Lookup {
        Optional<MonitorClass> monitorClass(String name);

        List<MonitorClass> monitorClasses();

        Optional<Namespace> namespace(String name);
    }

    private final WorkerClass operatorClass;
    private volatile Lookup lookup = new Lookup() {
        @Override
        public Optional<MonitorClass> monitorClass(String name) {
            return Optional.empty();
        }

        @Override
        public List<MonitorClass> monitorClasses() {
            return List.of();
        }

        @Override
        public Optional<Namespace> namespace(String name) {
            return Optional.empty();
        }
    };

    public MonitorClasses(OperatorConfig config) {
        this.operatorClass = WorkerClass.fromConfig(config);
    }

    /** The operator's own settings: what a StreamMonitor runs with when no class applies. */
    public WorkerClass operatorClass() {
        return operatorClass;
    }

    public void setLookup(Lookup lookup) {
        this.lookup = lookup;
    }

    public Resolution resolve(StreamMonitor monitor) {
        String named = monitor.getSpec() == null ? null : monitor.getSpec().monitorClassName;
        Optional<MonitorClass> found =
                named != null ? lookup.monitorClass(named) : defaultClass(lookup.monitorClasses());
        if (named != null && found.isEmpty()) {
            return new Resolution(
                    null,
                    REASON_NOT_FOUND,
                    "spec.monitorClassName: MonitorClass " + named + " does not exist (kubectl get monitorclasses"
                            + " lists them)");
        }
        if (found.isEmpty()) {
            return new Resolution(operatorClass, null, null);
        }
        MonitorClass monitorClass = found.get();
        String namespace = monitor.getMetadata().getNamespace();
        if (monitorClass.getSpec() != null
                && !LabelSelectors.matches(monitorClass.getSpec().namespaceSelector, namespaceLabels(namespace))) {
            return new Resolution(
                    null,
                    REASON_NOT_ALLOWED,
                    "MonitorClass " + monitorClass.getMetadata().getName() + " may not be used in namespace "
                            + namespace + " (its spec.namespaceSelector does not select it)"
                            + (named == null ? ": name an allowed class in spec.monitorClassName" : ""));
        }
        return new Resolution(operatorClass.overlaidWith(monitorClass), null, null);
    }

    /** The class marked default; with several, the newest (as Kubernetes picks among default StorageClasses). */
    static Optional<MonitorClass> defaultClass(List<MonitorClass> classes) {
        return classes.stream()
                .filter(MonitorClass::isDefault)
                .max(Comparator.comparing((MonitorClass c) ->
                                Objects.toString(c.getMetadata().getCreationTimestamp(), ""))
                        .thenComparing(c -> c.getMetadata().getName(), Comparator.reverseOrder()));
    }

    private Map<String, String> namespaceLabels(String namespace) {
        Map<String, String> labels = new HashMap<>();
        lookup.namespace(namespace).map(n -> n.getMetadata().getLabels()).ifPresent(labels::putAll);
        labels.put(NAMESPACE_NAME_LABEL, namespace);
        return labels;
    }

    /**
     * Informers on MonitorClasses and Namespaces (both cluster-scoped, so watched cluster-wide whatever namespaces
     * the operator watches); this resolver reads them from now on.
     */
    public List<EventSource<?, StreamMonitor>> eventSources(EventSourceContext<StreamMonitor> context) {
        IndexerResourceCache<StreamMonitor> monitors = context.getPrimaryCache();
        InformerEventSource<MonitorClass, StreamMonitor> classSource = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(MonitorClass.class, StreamMonitor.class)
                        .withName("monitor-classes")
                        .withWatchAllNamespaces()
                        .withFollowControllerNamespacesChanges(false)
                        .withSecondaryToPrimaryMapper(c -> users(monitors, c))
                        .build(),
                context);
        InformerEventSource<Namespace, StreamMonitor> namespaceSource = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(Namespace.class, StreamMonitor.class)
                        .withName("namespaces")
                        .withWatchAllNamespaces()
                        .withFollowControllerNamespacesChanges(false)
                        .withSecondaryToPrimaryMapper(
                                n -> monitors.list(n.getMetadata().getName())
                                        .map(ResourceID::fromResource)
                                        .collect(Collectors.toSet()))
                        .build(),
                context);
        setLookup(new Lookup() {
            @Override
            public Optional<MonitorClass> monitorClass(String name) {
                return classSource.get(new ResourceID(name));
            }

            @Override
            public List<MonitorClass> monitorClasses() {
                return classSource.list().toList();
            }

            @Override
            public Optional<Namespace> namespace(String name) {
                return namespaceSource.get(new ResourceID(name));
            }
        });
        return List.of(classSource, namespaceSource);
    }

    /** The StreamMonitors a class change may concern: those that name it, and those that name none. */
    private static Set<ResourceID> users(IndexerResourceCache<StreamMonitor> monitors, MonitorClass monitorClass) {
        String name = monitorClass.getMetadata().getName();
        return monitors.list()
                .filter(m -> m.getSpec() == null
                        || m.getSpec().monitorClassName == null
                        || name.equals(m.getSpec().monitorClassName))
                .map(ResourceID::fromResource)
                .collect(Collectors.toSet());
    }
}
