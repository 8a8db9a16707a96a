package dev.monoscope.operator.status;

import dev.monoscope.api.DefectType;
import dev.monoscope.api.v1alpha1.StreamMonitor;
import dev.monoscope.api.v1alpha1.StreamMonitorStatus;
import dev.monoscope.api.v1alpha1.WorkerStatus;
import dev.monoscope.api.worker.DecoderInfo;
import dev.monoscope.api.worker.Defect;
import dev.monoscope.api.worker.WorkerReport;
import dev.monoscope.operator.pods.WorkerPodFactory;
import dev.monoscope.operator.pods.WorkerPods;
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
import java.util.stream.Collectors;

/**
 * Merges what the pods and their reports say into one StreamMonitor status: conditions Ready, Scheduled,
 * Connected, Healthy and DecoderDegraded; the workers; the stream; the stream-level defects; the fields the
 * printer columns show. A pure function of its inputs, so that an unchanged world gives an unchanged status.
 */
public final class StatusAggregator {

    /** Everything the status is made of. */
    public record Inputs(
            StreamMonitor monitor,
            StreamMonitorStatus previous,
            List<String> problems,
            List<Pod> pods,
            Map<String, WorkerReport> reports,
            DefectLedger.View defects,
            Set<String> flapping,
            boolean rolloutComplete,
            Duration unschedulableAfter,
            Instant now) {}

    private StatusAggregator() {}

    public static StreamMonitorStatus aggregate(Inputs in) {
        StreamMonitor monitor = in.monitor();
        Long generation = monitor.getMetadata().getGeneration();
        StreamMonitorStatus status = new StreamMonitorStatus();
        status.observedGeneration = generation;
        status.selector = WorkerPods.selector(monitor.getMetadata().getName());
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
        Set<String> decoders = reports.stream()
                .map(r -> r.decoder)
                .filter(Objects::nonNull)
                .map(d -> d.type)
                .filter(Objects::nonNull)
                .collect(Collectors.toCollection(java.util.TreeSet::new));
        status.decoder = decoders.isEmpty()
                ? null
                : decoders.size() == 1 ? decoders.iterator().next() : "mixed";
        status.activeDefects = new ArrayList<>(in.defects().active());
        status.activeDefectSummary = in.defects().active().isEmpty()
                ? null
                : in.defects().active().stream().map(d -> d.type).distinct().collect(Collectors.joining(","));
        status.defectCounts = in.defects().counts();
        status.lastDefect = in.defects().last();

        Conditions c = new Conditions(in.previous() == null ? null : in.previous().conditions, generation, in.now());
        if (!in.problems().isEmpty()) {
            String message = String.join("; ", in.problems());
            c.set(StreamMonitorStatus.READY, Conditions.FALSE, "InvalidSpec", message);
            unknownRest(c, "InvalidSpec", "the spec is invalid: no worker pods run");
            return finish(status, c);
        }
        if (monitor.getSpec().isSuspended()) {
            c.set(StreamMonitorStatus.READY, Conditions.FALSE, "Suspended", "spec.suspend is true: no worker pods run");
            unknownRest(c, "Suspended", "monitoring is suspended");
            return finish(status, c);
        }
        int desired = monitor.getSpec().replicasOrDefault();

        // Scheduled
        Optional<String> unschedulable = pods.stream()
                .flatMap(p -> WorkerPods.unschedulable(p)
                        .filter(cond -> !WorkerPods.unschedulableSince(cond, in.now())
                                .plus(in.unschedulableAfter())
                                .isAfter(in.now()))
                        .map(cond -> p.getMetadata().getName() + ": " + cond.getMessage())
                        .stream())
                .findFirst();
        long scheduled = pods.stream().filter(StatusAggregator::isScheduled).count();
        boolean isScheduled = unschedulable.isEmpty() && scheduled >= desired;
        if (unschedulable.isPresent()) {
            c.set(StreamMonitorStatus.SCHEDULED, Conditions.FALSE, "Unschedulable", unschedulable.get());
        } else if (isScheduled) {
            c.set(
                    StreamMonitorStatus.SCHEDULED,
                    Conditions.TRUE,
                    "Scheduled",
                    scheduled + " of " + desired + " worker pods placed on nodes");
        } else {
            c.set(
                    StreamMonitorStatus.SCHEDULED,
                    Conditions.FALSE,
                    "Pending",
                    scheduled + " of " + desired + " worker pods placed on nodes");
        }

        // Connected
        if (reports.isEmpty()) {
            c.set(StreamMonitorStatus.CONNECTED, Conditions.UNKNOWN, "NoReport", "no worker has reported yet");
        } else {
            List<String> disconnected = new ArrayList<>();
            for (Pod pod : pods) {
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
                        "not receiving the stream: " + String.join(", ", disconnected));
            }
        }

        // Healthy
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
        } else if (reports.isEmpty()) {
            c.set(StreamMonitorStatus.HEALTHY, Conditions.UNKNOWN, "NoReport", "no worker has reported yet");
        } else {
            c.set(StreamMonitorStatus.HEALTHY, Conditions.TRUE, "NoDefects", "no active defect");
        }

        // DecoderDegraded
        if (!WorkerPodFactory.wantsGpu(monitor.getSpec())) {
            c.set(
                    StreamMonitorStatus.DECODER_DEGRADED,
                    Conditions.FALSE,
                    "GpuNotRequested",
                    "decoding on the CPU as asked");
        } else if (pods.stream().anyMatch(WorkerPods::isCpuFallback)) {
            c.set(
                    StreamMonitorStatus.DECODER_DEGRADED,
                    Conditions.TRUE,
                    "CpuFallback",
                    "no node could take a GPU pod for "
                            + in.unschedulableAfter().toSeconds()
                            + " s: the pods were recreated without a GPU and decode on the CPU");
        } else {
            Optional<DecoderInfo> cpu = reports.stream()
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

        // Ready: the stream is monitored as specified.
        if (unschedulable.isPresent()) {
            c.set(StreamMonitorStatus.READY, Conditions.FALSE, "Unschedulable", unschedulable.get());
        } else if (in.rolloutComplete() && pods.size() == desired) {
            c.set(
                    StreamMonitorStatus.READY,
                    Conditions.TRUE,
                    "Monitoring",
                    desired == 1 ? "1 worker pod monitors the stream" : desired + " worker pods monitor the stream");
        } else {
            long ready = pods.stream()
                    .filter(p -> WorkerPods.isReady(p)
                            || in.reports().containsKey(p.getMetadata().getName()))
                    .count();
            c.set(
                    StreamMonitorStatus.READY,
                    Conditions.FALSE,
                    "Progressing",
                    Math.min(ready, desired) + " of " + desired + " worker pods ready"
                            + (pods.size() > desired ? ", " + (pods.size() - desired) + " being replaced" : ""));
        }
        return finish(status, c);
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
