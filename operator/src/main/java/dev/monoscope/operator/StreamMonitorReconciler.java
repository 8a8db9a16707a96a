package dev.monoscope.operator;

import dev.monoscope.api.v1alpha1.StreamMonitor;
import dev.monoscope.api.v1alpha1.StreamMonitorStatus;
import dev.monoscope.api.v1alpha1.StreamMonitorValidator;
import dev.monoscope.api.worker.WorkerReport;
import dev.monoscope.operator.events.DefectEventRecorder;
import dev.monoscope.operator.events.EventWriter;
import dev.monoscope.operator.events.PodEventRecorder;
import dev.monoscope.operator.pods.DesiredPod;
import dev.monoscope.operator.pods.MonitorClasses;
import dev.monoscope.operator.pods.PodRollout;
import dev.monoscope.operator.pods.WorkerClass;
import dev.monoscope.operator.pods.WorkerPodFactory;
import dev.monoscope.operator.pods.WorkerPods;
import dev.monoscope.operator.pods.WorkerPolicy;
import dev.monoscope.operator.reports.ReportPoller;
import dev.monoscope.operator.status.DefectLedger;
import dev.monoscope.operator.status.StatusAggregator;
import dev.monoscope.operator.status.StatusWriter;
import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * StreamMonitor → worker pods, and worker reports → status and Events. Thin: each step is its own class.
 * Reconciles on changes of the StreamMonitor's spec, of its pods, and of its workers' reports.
 */
@ControllerConfiguration(name = StreamMonitorReconciler.NAME)
public class StreamMonitorReconciler implements Reconciler<StreamMonitor> {

    public static final String NAME = "streammonitor";
    /** The worker pods' informer, by name (the mosaic reads its cache). */
    public static final String POD_SOURCE = "worker-pods";

    private final OperatorConfig config;
    private final WorkerPodFactory podFactory;
    private final MonitorClasses classes;
    private final PodRollout rollout;
    private final ReportPoller poller;
    private final DefectLedger ledger;
    private final DefectEventRecorder events;
    private final PodEventRecorder podEvents;
    private final EventWriter eventWriter;
    private final StatusWriter statusWriter;
    private InformerEventSource<Pod, StreamMonitor> podSource;

    public StreamMonitorReconciler(
            OperatorConfig config,
            WorkerPodFactory podFactory,
            MonitorClasses classes,
            PodRollout rollout,
            ReportPoller poller,
            DefectLedger ledger,
            DefectEventRecorder events,
            PodEventRecorder podEvents,
            EventWriter eventWriter,
            StatusWriter statusWriter) {
        this.config = config;
        this.podFactory = podFactory;
        this.classes = classes;
        this.rollout = rollout;
        this.poller = poller;
        this.ledger = ledger;
        this.events = events;
        this.podEvents = podEvents;
        this.eventWriter = eventWriter;
        this.statusWriter = statusWriter;
    }

    @Override
    public List<EventSource<?, StreamMonitor>> prepareEventSources(EventSourceContext<StreamMonitor> context) {
        podSource = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(Pod.class, StreamMonitor.class)
                        .withName(POD_SOURCE)
                        .withLabelSelector(WorkerPods.LABEL_NAME + "=" + WorkerPods.NAME)
                        .withNamespacesInheritedFromController()
                        .build(),
                context);
        poller.setPodLookup(podSource::get);
        List<EventSource<?, StreamMonitor>> sources =
                new ArrayList<>(List.of(podSource, poller, new MonitorDeletions(this::forget)));
        sources.addAll(classes.eventSources(context));
        return sources;
    }

    @Override
    public UpdateControl<StreamMonitor> reconcile(StreamMonitor monitor, Context<StreamMonitor> context) {
        Instant now = Instant.now();
        String uid = monitor.getMetadata().getUid();
        ResourceID id = ResourceID.fromResource(monitor);
        MonitorClasses.Resolution resolved = classes.resolve(monitor);
        List<String> problems = new ArrayList<>(StreamMonitorValidator.validate(monitor));
        String problemReason = StatusAggregator.INVALID_SPEC;
        if (resolved.refused()) {
            problems.add(0, resolved.problem());
            problemReason = resolved.reason();
        } else {
            problems.addAll(WorkerPolicy.problems(monitor, resolved.workerClass()));
        }
        Rolled rolled = roll(
                monitor,
                context,
                problems.isEmpty() && !monitor.getSpec().isSuspended() ? resolved.workerClass() : null,
                now);
        List<Pod> pods = rolled.pods();
        PodRollout.Result result = rolled.result();
        Duration recheck = result.recheckAfter();

        Map<String, WorkerReport> reports = reports(pods);
        boolean allReported =
                pods.stream().filter(WorkerPods::isReportable).allMatch(p -> reports.containsKey(name(p)));
        StreamMonitorStatus previous = statusWriter.previous(monitor);
        DefectLedger.View defects = ledger.update(uid, previous, List.copyOf(reports.values()), allReported, now);
        events.record(monitor, defects.transitions());
        podEvents.record(monitor, pods, result.occurrences());
        Set<String> flapping = events.flapping(monitor);
        if (!flapping.isEmpty()) {
            recheck = min(recheck, Duration.ofSeconds(5));
        }
        StreamMonitorStatus status = StatusAggregator.aggregate(new StatusAggregator.Inputs(
                monitor,
                previous,
                problems,
                problemReason,
                pods,
                reports,
                defects,
                flapping,
                result.complete(),
                result.refusals(),
                config.gpu().unschedulableAfter(),
                now));
        Optional<Duration> wait = statusWriter.write(monitor, status);
        if (wait.isPresent()) {
            recheck = min(recheck, wait.get());
        }
        if (context.getPrimaryCache()
                .get(id)
                .filter(m -> uid.equals(m.getMetadata().getUid()))
                .isEmpty()) {
            // Deleted while this pass ran: the deletion's forget() may have come before this pass wrote its state.
            forget(monitor);
        }
        UpdateControl<StreamMonitor> control = UpdateControl.noUpdate();
        return recheck == null ? control : control.rescheduleAfter(recheck.plusMillis(50));
    }

    /** The StreamMonitor's pods after the rollout, and what the rollout did. */
    private record Rolled(List<Pod> pods, PodRollout.Result result) {}

    /**
     * Moves the pods towards the desired ones, or removes them all when the StreamMonitor may have none.
     *
     * @param workerClass what its pods get; null when it may have none
     */
    private Rolled roll(StreamMonitor monitor, Context<StreamMonitor> context, WorkerClass workerClass, Instant now) {
        String uid = monitor.getMetadata().getUid();
        ResourceID id = ResourceID.fromResource(monitor);
        List<Pod> seen = ownedPods(context, uid);
        if (workerClass == null) {
            rollout.removeAll(seen);
            poller.forget(id);
            return new Rolled(seen, new PodRollout.Result(null, false, List.of(), List.of()));
        }
        List<DesiredPod> desired =
                podFactory.desired(monitor, workerClass, shard -> fallBackToCpu(monitor, seen, shard, now));
        PodRollout.Result result = rollout.apply(
                monitor,
                seen,
                desired,
                pod -> poller.report(pod).isPresent(),
                pod -> podSource.handleRecentResourceCreate(id, pod));
        // Pods just created are in the informer's cache already (and their own event is filtered out).
        List<Pod> pods = ownedPods(context, uid);
        poller.track(id, pods);
        Duration recheck = min(result.recheckAfter(), untilUnschedulableCounts(pods, now));
        return new Rolled(
                pods, new PodRollout.Result(recheck, result.complete(), result.occurrences(), result.refusals()));
    }

    /** The last report of each pod that has one, by pod name. */
    private Map<String, WorkerReport> reports(List<Pod> pods) {
        Map<String, WorkerReport> reports = new HashMap<>();
        for (Pod pod : pods) {
            poller.report(pod).ifPresent(r -> reports.put(name(pod), r));
        }
        return reports;
    }

    private static String name(Pod pod) {
        return pod.getMetadata().getName();
    }

    /** Drop every piece of in-memory state of a StreamMonitor that is gone (no finalizer: nothing else will). */
    void forget(StreamMonitor monitor) {
        String uid = monitor.getMetadata().getUid();
        poller.forget(ResourceID.fromResource(monitor));
        rollout.forget(uid);
        ledger.forget(uid);
        events.forget(uid);
        podEvents.forget(uid);
        eventWriter.forget(uid);
        statusWriter.forget(uid);
    }

    /** Whether any in-memory state of this StreamMonitor is kept. */
    boolean remembers(StreamMonitor monitor) {
        String uid = monitor.getMetadata().getUid();
        return poller.remembers(ResourceID.fromResource(monitor))
                || rollout.remembers(uid)
                || ledger.retained(uid) > 0
                || events.retained(uid) > 0
                || podEvents.retained(uid) > 0
                || eventWriter.retained(uid) > 0
                || statusWriter.remembers(uid);
    }

    private static List<Pod> ownedPods(Context<StreamMonitor> context, String uid) {
        return context.getSecondaryResources(Pod.class).stream()
                .filter(p -> p.getMetadata().getOwnerReferences() != null
                        && p.getMetadata().getOwnerReferences().stream().anyMatch(o -> uid.equals(o.getUid())))
                .toList();
    }

    /** A GPU shard falls back to the CPU once, when its GPU pod stayed unschedulable too long; it stays there. */
    private boolean fallBackToCpu(StreamMonitor monitor, List<Pod> pods, int shard, Instant now) {
        if (monitor.getSpec().gpu == null || !Boolean.TRUE.equals(monitor.getSpec().gpu.fallbackToCpu)) {
            return false;
        }
        return pods.stream()
                .filter(p -> WorkerPods.shard(p) == shard)
                .anyMatch(p -> WorkerPods.isCpuFallback(p)
                        || (WorkerPods.isGpu(p)
                                && WorkerPods.unschedulable(p)
                                        .map(c -> !WorkerPods.unschedulableSince(c, now)
                                                .plus(config.gpu().unschedulableAfter())
                                                .isAfter(now))
                                        .orElse(false)));
    }

    /** When a pending pod will have been unschedulable long enough to say so. */
    private Duration untilUnschedulableCounts(List<Pod> pods, Instant now) {
        Duration next = null;
        for (Pod pod : pods) {
            Optional<Duration> left = WorkerPods.unschedulable(pod)
                    .map(c -> Duration.between(
                            now,
                            WorkerPods.unschedulableSince(c, now)
                                    .plus(config.gpu().unschedulableAfter())))
                    .filter(d -> !d.isNegative() && !d.isZero());
            if (left.isPresent()) {
                next = min(next, left.get());
            }
        }
        return next;
    }

    private static Duration min(Duration a, Duration b) {
        if (a == null) {
            return b;
        }
        return b == null || a.compareTo(b) <= 0 ? a : b;
    }
}
