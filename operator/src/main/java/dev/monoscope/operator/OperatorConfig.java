package dev.monoscope.operator;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The operator's own settings ({@code monoscope.*} in application.properties, or MONOSCOPE_* environment
 * variables). Watched namespaces are quarkus-operator-sdk's own key:
 * {@code quarkus.operator-sdk.controllers.streammonitor.namespaces}.
 */
@ConfigMapping(prefix = "monoscope")
public interface OperatorConfig {

    Worker worker();

    Policy policy();

    Gpu gpu();

    Report report();

    Rollout rollout();

    Status status();

    Events events();

    LeaderElection leaderElection();

    /** Defaults for worker pods; a StreamMonitor's spec.worker overrides them. */
    interface Worker {
        @WithDefault("monoscope/worker:0.1.0")
        String image();

        @WithDefault("IfNotPresent")
        String imagePullPolicy();

        /** RuntimeClass of CPU worker pods; none by default. */
        Optional<String> runtimeClassName();

        @WithDefault("500m")
        String cpuRequest();

        @WithDefault("2")
        String cpuLimit();

        @WithDefault("512Mi")
        String memoryRequest();

        @WithDefault("1Gi")
        String memoryLimit();

        /** Size limit of the /tmp emptyDir (scratch and the JavaCPP native-library cache). */
        @WithDefault("1Gi")
        String scratchSize();

        /** User id the worker runs as (the image's non-root user). */
        @WithDefault("10001")
        long runAsUser();

        /** JSON object (MONOSCOPE_WORKER_NODE_SELECTOR): worker pods' nodeSelector unless spec.worker sets one. */
        Optional<String> nodeSelector();

        /** JSON array of tolerations: worker pods' tolerations unless spec.worker sets some. */
        Optional<String> tolerations();

        /** JSON object (a pod affinity): worker pods' affinity unless spec.worker sets one. */
        Optional<String> affinity();
    }

    /**
     * What a StreamMonitor's {@code spec.worker} may choose: an admin's choice, like creating pods is. Anything
     * beyond it is refused (Ready=False, InvalidSpec, the field named) and no pod runs.
     */
    interface Policy {
        /** Images spec.worker.image may name: exact, or a prefix ending in '/' or ':'. None by default. */
        Optional<List<String>> allowedImages();

        /** Whether spec.worker.hostNetwork may be true (UDP multicast without Multus needs it). */
        @WithDefault("false")
        boolean allowHostNetwork();

        /** RuntimeClasses spec.worker.runtimeClassName may name, besides the operator's own CPU and GPU ones. */
        Optional<List<String>> allowedRuntimeClasses();

        /** PriorityClasses spec.worker.priorityClassName may name. None by default. */
        Optional<List<String>> allowedPriorityClasses();

        /** Whether spec.worker may set tolerations (they let pods onto tainted, dedicated nodes). */
        @WithDefault("false")
        boolean allowTolerations();

        /** Whether spec.worker may set nodeSelector and affinity. */
        @WithDefault("true")
        boolean allowPlacement();

        /** The most CPU spec.worker.resources may request or limit a worker pod to. */
        @WithDefault("4")
        String maxCpu();

        /** The most memory spec.worker.resources may request or limit a worker pod to. */
        @WithDefault("4Gi")
        String maxMemory();
    }

    interface Gpu {
        /** The extended resource that names a GPU, when spec.gpu.resourceName is unset. */
        @WithDefault("nvidia.com/gpu")
        String resourceName();

        /** RuntimeClass of GPU worker pods, when spec.worker.runtimeClassName is unset. */
        @WithDefault("nvidia")
        String runtimeClassName();

        /** How long a GPU pod may stay unschedulable before Scheduled=False (and the CPU fallback, if asked for). */
        @WithDefault("60s")
        Duration unschedulableAfter();
    }

    interface Report {
        /** The worker's report port. */
        @WithDefault("8080")
        int port();

        /** Long-poll wait the operator asks the worker for. */
        @WithDefault("30")
        int waitSeconds();

        @WithDefault("2s")
        Duration connectTimeout();

        /** Pause before polling a worker again after a failed request. */
        @WithDefault("2s")
        Duration retryDelay();

        /**
         * Drop a report that carries no pod UID (a worker older than the podUid field). A report naming another
         * pod's UID is dropped whatever this says.
         */
        @WithDefault("true")
        boolean requirePodUid();
    }

    interface Rollout {
        /** First delay before a failed, evicted or deleted pod is recreated; doubles per failure. */
        @WithDefault("10s")
        Duration backoffInitial();

        @WithDefault("5m")
        Duration backoffMax();
    }

    interface Status {
        /** At most one status write per StreamMonitor per this interval; changes in between are coalesced. */
        @WithDefault("5s")
        Duration minWriteInterval();

        /**
         * A new StreamMonitor whose pods are on their way gets its first status once its workers reported, or after
         * this long: a stream that starts at once is written Ready in one write instead of Progressing then Ready.
         */
        @WithDefault("2s")
        Duration firstWriteWait();
    }

    interface Events {
        /** A defect type that starts more often than this within a minute is flapping. */
        @WithDefault("6")
        int flappingStartsPerMinute();

        @WithDefault("60s")
        Duration flappingWindow();
    }

    interface LeaderElection {
        /** Name of the Lease (coordination.k8s.io) held by the active operator replica. */
        @WithDefault("monoscope-operator")
        String leaseName();

        /** Namespace of the Lease; default: the operator pod's own namespace. */
        Optional<String> leaseNamespace();
    }
}
