package dev.monoscope.operator.status;

import dev.monoscope.api.DefectType;
import dev.monoscope.api.v1alpha1.StreamMonitor;
import dev.monoscope.api.v1alpha1.StreamMonitorStatus;
import dev.monoscope.api.v1alpha1.WorkerStatus;
import dev.monoscope.api.worker.DecoderInfo;
import dev.monoscope.api.worker.Defect;
import dev.monoscope.api.worker.WorkerReport;
import dev.monoscope.operator.pods.PodRefusal;
import dev.monoscope.operator.pods.WorkerPodFactory;
import dev.monoscope.operator.pods.WorkerPods;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Merges what the pods and their reports say into one StreamMonitor status: conditions Ready, Scheduled,
 * Connected, Healthy and DecoderDegraded; the workers; the stream; the stream-level defects; the fields the
 * printer columns show. A pure function of its inputs, so that an unchanged world gives an unchanged status.
 */
public final class StatusAggregator {

    /** Ready's reason when the spec is refused, unless a problem says another (a missing MonitorClass). */
    public static final String INVALID_SPEC = "InvalidSpec";

    /** Everything the status is made of; {@code problemReason} is Ready's reason when there are problems. */
    public record Inputs(
            StreamMonitor monitor,
            StreamMonitorStatus previous,
            List<String> problems,
            String problemReason,
            List<Pod> pods,
            Map<String, WorkerReport> reports,
            DefectLedger.View defects,
            Set<String> flapping,
            boolean rolloutComplete,
            List<PodRefusal> refusals,
            Duration unschedulableAfter,
            Instant now) {}

    /** The pods that count (not terminating, not failed) in shard order, and the reports among them. */
    private record Observed(List<Pod> pods, List<WorkerReport> reports) {}

    private StatusAggregator() {}

    public static StreamMonitorStatus aggregate(Inputs in) {
        StreamMonitor monitor = in.monitor();
        Long generation = monitor.getMetadata().getGeneration();
        StreamMonitorStatus status = new StreamMonitorStatus();
        status.observedGeneration = generation;
        status.selector = WorkerPods.selector(monitor.getMetadata().getName());
        Observed seen = observe(in, status);
        defects(in.defects(), status);

        Conditions c = new Conditions(in.previous() == null ? null : in.previous().conditions, generation, in.now());
        if (!in.problems().isEmpty()) {
            String message = StatusText.bounded(String.join("; ", in.problems()));
            String reason = in.problemReason() == null ? INVALID_SPEC : in.problemReason();
            c.set(StreamMonitorStatus.READY, Conditions.FALSE, reason, message);
            unknownRest(c, reason, "the spec is refused: no worker pods run");
            return finish(status, c);
        }
        if (monitor.getSpec().isSuspended()) {
            c.set(StreamMonitorStatus.READY, Conditions.FALSE, "Suspended", "spec.suspend is true: no worker pods run");
            unknownRest(c, "Suspended", "monitoring is suspended");
            return finish(status, c);
        }
        Optional<String> unschedulable = scheduled(in, seen, c);
        connected(in, seen, c);
        healthy(in, seen, status, c);
        decoderDegraded(in, seen, c);
        ready(in, seen, unschedulable, c);
        return finish(status, c);
    }

    /** Pods, workers, replicas, the stream and the decoder. */
    private static Observed observe(Inputs in, StreamMonitorStatus status) {
        List<Pod> pods = in.pods().stream()
                .filter(p -> !WorkerPods.isTerminating(p) && !WorkerPods.isFailed(p))
                .sorted(Comparator.comparing(WorkerPods::shard)
                        .thenComparing(p -> p.getMetadata().getName()))
                .toList();
        status.replicas = pods.size();
        status.readyReplicas = (int) pods.stream().filter(WorkerPods::isReady).count();
        List<WorkerReport> reports = new ArrayList<>();
        for (Pod pod : pods) {
            WorkerReport report = in.reports().get(pod.getMetadata().getName());
            if (report != null) {
                reports.add(report);
            }
            status.workers.add(worker(pod, report));
        }
        status.stream = reports.stream()
                .map(r -> r.stream)
                .filter(Objects::nonNull)
                .findFirst()
                .orElse(null);
        status.lastCues = reports.stream()
                .map(r -> r.lastCues)
                .filter(c -> c != null && !c.isEmpty())
                .findFirst()
                .orElse(null);
        Set<String> decoders = reports.stream()
                .map(r -> r.decoder)
                .filter(Objects::nonNull)
                .map(d -> d.type)
                .filter(Objects::nonNull)
                .collect(Collectors.toCollection(TreeSet::new));
        status.decoder = decoders.isEmpty()
                ? null
                : decoders.size() == 1 ? decoders.iterator().next() : "mixed";
        return new Observed(pods, reports);
    }

    /** The active defects (the oldest {@value StreamMonitorStatus#MAX_LISTED_DEFECTS} listed), counts, the last. */
    private static void defects(DefectLedger.View defects, StreamMonitorStatus status) {
        List<Defect> active = defects.active();
        status.activeDefects =
                new ArrayList<>(active.subList(0, Math.min(active.size(), StreamMonitorStatus.MAX_LISTED_DEFECTS)));
        status.activeDefectCount = active.size();
        status.activeDefectSummary = active.isEmpty()
                ? null
                : active.stream().map(d -> d.type).distinct().collect(Collectors.joining(","));
        status.defectCounts = defects.counts();
        status.lastDefect = defects.last();
    }

    /** Scheduled; returns the message of a pod unschedulable for too long, if one is. */
    private static Optional<String> scheduled(Inputs in, Observed seen, Conditions c) {
        int desired = in.monitor().getSpec().replicasOrDefault();
        Optional<String> unschedulable = seen.pods().stream()
                .flatMap(p -> WorkerPods.unschedulable(p)
                        .filter(cond -> !WorkerPods.unschedulableSince(cond, in.now())
                                .plus(in.unschedulableAfter())
                                .isAfter(in.now()))
                        .map(cond -> p.getMetadata().getName() + ": " + StatusText.bounded(cond.getMessage()))
                        .stream())
                .findFirst();
        long scheduled =
                seen.pods().stream().filter(StatusAggregator::isScheduled).count();
        String placed = scheduled + " of " + desired + " worker pods placed on nodes";
        if (unschedulable.isPresent()) {
            c.set(StreamMonitorStatus.SCHEDULED, Conditions.FALSE, "Unschedulable", unschedulable.get());
        } else if (scheduled >= desired) {
            c.set(StreamMonitorStatus.SCHEDULED, Conditions.TRUE, "Scheduled", placed);
        } else {
            c.set(StreamMonitorStatus.SCHEDULED, Conditions.FALSE, "Pending", placed);
        }
        return unschedulable;
    }

    private static void connected(Inputs in, Observed seen, Conditions c) {
        if (seen.reports().isEmpty()) {
            c.set(StreamMonitorStatus.CONNECTED, Conditions.UNKNOWN, "NoReport", "no worker has reported yet");
            return;
        }
        List<String> disconnected = new ArrayList<>();
        for (Pod pod : seen.pods()) {
            WorkerReport r = in.reports().get(pod.getMetadata().getName());
            if (r != null && !r.connected) {
                disconnected.add(pod.getMetadata().getName() + (r.error == null ? "" : " (" + r.error + ")"));
            }
        }
        if (disconnected.isEmpty()) {
            c.set(
                    StreamMonitorStatus.CONNECTED,
                    Conditions.TRUE,
                    "Connected",
                    "every reporting worker receives the stream");
        } else {
            c.set(
                    StreamMonitorStatus.CONNECTED,
                    Conditions.FALSE,
                    "NotConnected",
                    StatusText.bounded("not receiving the stream: " + String.join(", ", disconnected)));
        }
    }

    private static void healthy(Inputs in, Observed seen, StreamMonitorStatus status, Conditions c) {
        Optional<Defect> worst = in.defects().active().stream()
                .max(Comparator.comparing((Defect d) ->
                                DefectType.Severity.fromId(d.severity).rank())
                        .thenComparing(d -> d.startedAt == null ? "" : d.startedAt, Comparator.reverseOrder()));
        if (!in.flapping().isEmpty()) {
            c.set(
                    StreamMonitorStatus.HEALTHY,
                    Conditions.FALSE,
                    "Flapping",
                    String.join(", ", in.flapping()) + " keeps starting and ending; see the Flapping Event");
        } else if (worst.isPresent()) {
            c.set(
                    StreamMonitorStatus.HEALTHY,
                    Conditions.FALSE,
                    DefectType.fromId(worst.get().type)
                            .map(DefectType::eventReason)
                            .orElse("Defect"),
                    "active: " + status.activeDefectSummary);
        } else if (seen.reports().isEmpty()) {
            c.set(StreamMonitorStatus.HEALTHY, Conditions.UNKNOWN, "NoReport", "no worker has reported yet");
        } else {
            c.set(StreamMonitorStatus.HEALTHY, Conditions.TRUE, "NoDefects", "no active defect");
        }
    }

    private static void decoderDegraded(Inputs in, Observed seen, Conditions c) {
        if (!WorkerPodFactory.wantsGpu(in.monitor().getSpec())) {
            c.set(
                    StreamMonitorStatus.DECODER_DEGRADED,
                    Conditions.FALSE,
                    "GpuNotRequested",
                    "decoding on the CPU as asked");
            return;
        }
        if (seen.pods().stream().anyMatch(WorkerPods::isCpuFallback)) {
            c.set(
                    StreamMonitorStatus.DECODER_DEGRADED,
                    Conditions.TRUE,
                    "CpuFallback",
                    "no node could take a GPU pod for "
                            + in.unschedulableAfter().toSeconds()
                            + " s: the pods were recreated without a GPU and decode on the CPU");
            return;
        }
        Optional<DecoderInfo> cpu = seen.reports().stream()
                .map(r -> r.decoder)
                .filter(d -> d != null && DecoderInfo.CPU.equals(d.type))
                .findFirst();
        if (cpu.isPresent()) {
            c.set(
                    StreamMonitorStatus.DECODER_DEGRADED,
                    Conditions.TRUE,
                    "DecodingOnCpu",
                    cpu.get().reason == null
                            ? "a GPU was requested but the worker decodes on the CPU"
                            : cpu.get().reason);
        } else {
            c.set(StreamMonitorStatus.DECODER_DEGRADED, Conditions.FALSE, "AsRequested", "decoding on the GPU");
        }
    }

    /**
     * Ready: the stream is monitored as specified. When it is not, the reason a user can act on comes first: a
     * pod that cannot be placed, a pod the API server refused, a container that cannot start.
     */
    private static void ready(Inputs in, Observed seen, Optional<String> unschedulable, Conditions c) {
        int desired = in.monitor().getSpec().replicasOrDefault();
        Optional<PodRefusal> refused = in.refusals().stream().findFirst();
        Optional<Pod> stuck = seen.pods().stream()
                .filter(p -> WorkerPods.stuck(p).isPresent())
                .findFirst();
        if (unschedulable.isPresent()) {
            c.set(StreamMonitorStatus.READY, Conditions.FALSE, "Unschedulable", unschedulable.get());
        } else if (refused.isPresent()) {
            PodRefusal r = refused.get();
            c.set(
                    StreamMonitorStatus.READY,
                    Conditions.FALSE,
                    r.reason(),
                    StatusText.bounded("the API server refused worker pod " + r.pod() + ": " + r.message()));
        } else if (stuck.isPresent()) {
            ContainerStateWaiting waiting = WorkerPods.stuck(stuck.get()).orElseThrow();
            c.set(
                    StreamMonitorStatus.READY,
                    Conditions.FALSE,
                    waiting.getReason(),
                    StatusText.bounded("worker pod " + stuck.get().getMetadata().getName() + " cannot start: "
                            + waiting.getMessage()));
        } else if (in.rolloutComplete() && seen.pods().size() == desired) {
            c.set(
                    StreamMonitorStatus.READY,
                    Conditions.TRUE,
                    "Monitoring",
                    desired == 1 ? "1 worker pod monitors the stream" : desired + " worker pods monitor the stream");
        } else {
            long ready = seen.pods().stream()
                    .filter(p -> WorkerPods.isReady(p)
                            || in.reports().containsKey(p.getMetadata().getName()))
                    .count();
            c.set(
                    StreamMonitorStatus.READY,
                    Conditions.FALSE,
                    "Progressing",
                    Math.min(ready, desired) + " of " + desired + " worker pods ready"
                            + (seen.pods().size() > desired
                                    ? ", " + (seen.pods().size() - desired) + " being replaced"
                                    : ""));
        }
    }

    private static StreamMonitorStatus finish(StreamMonitorStatus status, Conditions c) {
        List<String> order = List.of(
                StreamMonitorStatus.READY,
                StreamMonitorStatus.SCHEDULED,
                StreamMonitorStatus.CONNECTED,
                StreamMonitorStatus.HEALTHY,
                StreamMonitorStatus.DECODER_DEGRADED);
        status.conditions = c.list().stream()
                .sorted(Comparator.comparing(x -> order.indexOf(x.getType())))
                .toList();
        return status;
    }

    private static void unknownRest(Conditions c, String reason, String message) {
        c.set(StreamMonitorStatus.SCHEDULED, Conditions.UNKNOWN, reason, message);
        c.set(StreamMonitorStatus.CONNECTED, Conditions.UNKNOWN, reason, message);
        c.set(StreamMonitorStatus.HEALTHY, Conditions.UNKNOWN, reason, message);
        c.set(StreamMonitorStatus.DECODER_DEGRADED, Conditions.UNKNOWN, reason, message);
    }

    private static boolean isScheduled(Pod pod) {
        return !"Pending".equals(WorkerPods.phase(pod))
                || WorkerPods.node(pod).isPresent()
                || WorkerPods.condition(pod, "PodScheduled")
                        .map(PodCondition::getStatus)
                        .filter("True"::equals)
                        .isPresent();
    }

    private static WorkerStatus worker(Pod pod, WorkerReport report) {
        WorkerStatus w = new WorkerStatus();
        w.pod = pod.getMetadata().getName();
        w.node = WorkerPods.node(pod).orElse(null);
        w.shard = WorkerPods.shard(pod);
        w.restarts = WorkerPods.restarts(pod);
        if (report != null) {
            w.decoder = report.decoder == null ? null : report.decoder.type;
            w.connected = report.connected;
            w.detectors = report.detectors == null || report.detectors.isEmpty() ? null : List.copyOf(report.detectors);
        }
        return w;
    }
}
