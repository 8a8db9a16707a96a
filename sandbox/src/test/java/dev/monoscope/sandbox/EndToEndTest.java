package dev.monoscope.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.monoscope.api.v1alpha1.StreamMonitor;
import dev.monoscope.api.v1alpha1.StreamMonitorStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BiPredicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Tier 4: the real operator and real worker processes in one sandbox on a real Kubernetes control plane, shared by
 * the scenarios, which run in order on one StreamMonitor watching the sandbox's demo stream (black at 0:12, frozen
 * at 0:28, silent at 0:44 of every minute, 8 s each; small pictures to spare the CPU). The operator is installed by
 * the Helm chart and works with exactly what the chart's RBAC grants.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 200, unit = TimeUnit.SECONDS)
class EndToEndTest {

    static final String NAME = "e2e";
    static final String INSTANCE_LABEL = "app.kubernetes.io/instance";
    static final Set<String> DEMO_DEFECTS = Set.of("black", "freeze", "silence");
    static final Map<String, String> EVENT_REASONS =
            Map.of("black", "BlackVideo", "freeze", "FrozenVideo", "silence", "AudioSilence");

    static Sandbox sandbox;
    static KubernetesClient client;
    static Kubectl kubectl;

    @BeforeAll
    @Timeout(value = 45, unit = TimeUnit.MINUTES) // the first run on a machine builds the control plane
    static void startSandbox() {
        sandbox = TestSandboxes.start(
                "e2e",
                Map.of(
                        "status.minWriteInterval", "1s",
                        "extraEnv[0].name", "MONOSCOPE_ROLLOUT_BACKOFF_INITIAL",
                        "extraEnv[0].value", "1s"));
        client = sandbox.controlPlane().client();
        kubectl = new Kubectl(sandbox.kubectl(), sandbox.kubeconfig());
    }

    @AfterAll
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    static void stopSandboxAndCheckForOrphans() {
        if (sandbox != null) {
            sandbox.close();
        }
        await("no process left behind")
                .atMost(Duration.ofSeconds(20))
                .until(() -> ProcessHandle.current().descendants().noneMatch(ProcessHandle::isAlive));
    }

    @Test
    @Order(1)
    void appliedMonitorConnectsAndReportsEveryDefectOfTheStream() throws Exception {
        Path manifest = Files.writeString(Files.createTempFile("e2e", ".yaml"), """
                apiVersion: monoscope.dev/v1alpha1
                kind: StreamMonitor
                metadata:
                  name: %s
                spec:
                  source:
                    url: %s
                """.formatted(
                        NAME, sandbox.stream().url()));
        sandbox.apply(manifest);

        await("Connected=True")
                .ignoreExceptions()
                .atMost(Duration.ofSeconds(30))
                .until(() -> condition(StreamMonitorStatus.CONNECTED)
                        .map(c -> "True".equals(c.getStatus()))
                        .orElse(false));
        assertThat(workerPods()).hasSize(1);
        assertThat(workerProcesses()).hasSize(1);

        Map<String, Long> countsBefore = counts();
        Set<String> seenActive =
                watchActiveDefects(DemoStream.CYCLE.plus(DemoStream.SEGMENT).plusSeconds(10), DEMO_DEFECTS);
        assertThat(seenActive).containsAll(DEMO_DEFECTS).doesNotContain("signal_loss");

        await("every defect ended and counted")
                .ignoreExceptions()
                .atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> {
                    for (String type : DEMO_DEFECTS) {
                        assertThat(counts().getOrDefault(type, 0L))
                                .as(type)
                                .isGreaterThan(countsBefore.getOrDefault(type, 0L));
                    }
                });
        Set<String> reasons = events().stream().map(Event::getReason).collect(Collectors.toSet());
        assertThat(reasons).containsAll(EVENT_REASONS.values());
        // as a user sees them
        assertThat(kubectl.run("describe", "sm", NAME).output()).contains(EVENT_REASONS.values());
        assertThat(kubectl.run("get", "events").output()).contains(EVENT_REASONS.values());
    }

    @Test
    @Order(2)
    void killedWorkerIsRestartedAndMonitoringResumes() {
        Pod pod = workerPods().get(0);
        String podName = pod.getMetadata().getName();
        ProcessHandle worker = sandbox.runner()
                .process(pod.getMetadata().getNamespace(), podName)
                .orElseThrow();
        int eventsBefore = events().size();

        worker.destroyForcibly();

        await("the pod shows a restart")
                .ignoreExceptions()
                .atMost(Duration.ofSeconds(30))
                .until(() -> client.pods()
                                .withName(podName)
                                .get()
                                .getStatus()
                                .getContainerStatuses()
                                .get(0)
                                .getRestartCount()
                        >= 1);
        await("the status shows the restart and the worker connected again")
                .ignoreExceptions()
                .atMost(Duration.ofSeconds(45))
                .untilAsserted(() -> {
                    StreamMonitorStatus status = status();
                    assertThat(status.workers).extracting(w -> w.restarts).containsExactly(1);
                    assertThat(status.workers).extracting(w -> w.connected).containsExactly(true);
                    assertThat(condition(StreamMonitorStatus.CONNECTED).map(Condition::getStatus))
                            .contains("True");
                });
        assertThat(client.pods().withName(podName).get().getMetadata().getUid())
                .isEqualTo(pod.getMetadata().getUid());
        // monitoring resumes: the restarted worker reports the next defect of the stream, and Events say so
        Set<String> seen = watchActiveDefectsUntil(
                DemoStream.CYCLE.plus(DemoStream.SEGMENT),
                (all, active) -> all.stream().anyMatch(DEMO_DEFECTS::contains));
        assertThat(seen)
                .as("defects seen after the restart; status now: %s", Serialization.asJson(status()))
                .containsAnyElementsOf(DEMO_DEFECTS);
        assertThat(events().size()).isGreaterThan(eventsBefore);
    }

    @Test
    @Order(3)
    void twoReplicasShareTheDetectorsAndReportEachDefectOnce() throws Exception {
        assertThat(kubectl.run("scale", "sm", NAME, "--replicas=2").output())
                .contains("streammonitor.monoscope.dev/" + NAME + " scaled");
        await("two worker processes")
                .ignoreExceptions()
                .atMost(Duration.ofSeconds(45))
                .untilAsserted(() -> {
                    assertThat(workerPods()).hasSize(2);
                    assertThat(workerProcesses()).hasSize(2);
                    assertThat(status().workers).hasSize(2).allMatch(w -> Boolean.TRUE.equals(w.connected));
                });
        List<List<String>> shares =
                status().workers.stream().map(w -> w.detectors).toList();
        assertThat(shares.get(0)).doesNotContainAnyElementsOf(onlyDemoDefects(shares.get(1)));
        assertThat(onlyDemoDefects(shares.get(0))).isNotEmpty();
        assertThat(onlyDemoDefects(shares.get(1))).isNotEmpty();
        Set<String> union = new HashSet<>(shares.get(0));
        union.addAll(shares.get(1));
        assertThat(union).containsAll(DEMO_DEFECTS);
        Map<String, String> configs = new HashMap<>();
        for (Pod pod : workerPods()) {
            configs.put(
                    pod.getMetadata().getName(), env(pod, "MONOSCOPE_CONFIG").orElseThrow());
        }
        assertThat(new HashSet<>(configs.values())).hasSize(2);

        // a whole cycle: each defect appears once in the status (never twice at a time), is counted once and
        // has one start Event, though two workers watch the stream. Counting starts in the quiet stretch after a
        // silence (0:52 to 1:12 of the loop): nothing is active, the status has settled (it is written at most
        // every 5 s), and the next black, freeze and silence are all ahead, so none is counted twice or half.
        sleep(sandbox.stream()
                .until(DemoStream.SILENCE_AT.plus(DemoStream.SEGMENT).plusSeconds(7)));
        Map<String, Long> before = counts();
        Map<String, Integer> startEventsBefore = startEvents();
        Set<String> seen = watchActiveDefects(DemoStream.CYCLE.plusSeconds(12), DEMO_DEFECTS);
        assertThat(seen).containsAll(DEMO_DEFECTS);
        await("each defect counted once")
                .ignoreExceptions()
                .atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> {
                    Map<String, Integer> startEvents = startEvents();
                    for (String type : DEMO_DEFECTS) {
                        long counted = counts().getOrDefault(type, 0L) - before.getOrDefault(type, 0L);
                        assertThat(counted).as(type).isEqualTo(1);
                        assertThat(startEvents.getOrDefault(type, 0) - startEventsBefore.getOrDefault(type, 0))
                                .as("start Events of " + type)
                                .isEqualTo(1);
                    }
                });

        // and back: the scale subresource shows what the operator runs
        assertThat(kubectl.run("scale", "sm", NAME, "--replicas=1").exit()).isZero();
        await("one worker again")
                .ignoreExceptions()
                .atMost(Duration.ofSeconds(45))
                .untilAsserted(() -> {
                    assertThat(workerPods()).hasSize(1);
                    assertThat(workerProcesses()).hasSize(1);
                    assertThat(status().workers).hasSize(1).allMatch(w -> Boolean.TRUE.equals(w.connected));
                });
        assertThat(kubectl.run("get", "sm", NAME, "-o", "jsonpath={.spec.replicas}")
                        .output())
                .isEqualTo("1");
    }

    @Test
    @Order(4)
    void restartedOperatorAdoptsThePodsAndStatusContinues() {
        Map<String, String> uids = workerPodUids();
        Map<String, ProcessHandle> processes = workerProcesses();
        long defectsBefore = totalDefects();

        sandbox.operator().restart(Duration.ofSeconds(150));

        // the status keeps moving: the next defect of the stream is counted by the new operator
        await("a defect counted after the restart")
                .ignoreExceptions()
                .atMost(Duration.ofSeconds(75))
                .until(() -> totalDefects() > defectsBefore);
        assertThat(workerPodUids()).as("the same worker pods").isEqualTo(uids);
        assertThat(workerProcesses().values())
                .allMatch(ProcessHandle::isAlive)
                .containsExactlyInAnyOrderElementsOf(processes.values());
        assertNoDuplicateEvents();
    }

    @Test
    @Order(5)
    void restartedApiServerKeepsEverythingAndTheOperatorReconnects() {
        Map<String, String> uids = workerPodUids();
        String operatorPod =
                sandbox.operator().pod().orElseThrow().getMetadata().getName();
        long defectsBefore = totalDefects();

        sandbox.controlPlane().restartApiServer();

        await("a defect counted after the API server's restart")
                .ignoreExceptions()
                .atMost(Duration.ofSeconds(90))
                .until(() -> totalDefects() > defectsBefore);
        assertThat(workerPodUids()).as("the same worker pods").isEqualTo(uids);
        assertThat(sandbox.operator().pod().orElseThrow().getMetadata().getName())
                .isEqualTo(operatorPod);
        assertNoDuplicateEvents();
    }

    /**
     * Chaos mid-defect: while the stream is black, the operator's process is killed (no graceful stop) and the API
     * server restarted. The defect is still reported once: one start Event (written before), one end Event (by the
     * new operator, from what the worker kept), counted once, and the worker pod neither replaced nor doubled.
     */
    @Test
    @Order(6)
    void operatorKilledAndApiServerRestartedMidDefectReportTheDefectOnce() {
        Map<String, String> uids = workerPodUids();
        await("black active on the StreamMonitor")
                .ignoreExceptions()
                .atMost(DemoStream.CYCLE.plus(DemoStream.SEGMENT))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> status().activeDefects.stream().anyMatch(d -> "black".equals(d.type)));
        long countedBefore = counts().getOrDefault("black", 0L);
        int startsBefore = startEvents().getOrDefault("black", 0);
        int endsBefore = endEvents().getOrDefault("black", 0);
        ProcessHandle operator = sandbox.operator().process().orElseThrow();

        operator.destroyForcibly();
        sandbox.controlPlane().restartApiServer();

        await("a new operator process, and black over on the StreamMonitor")
                .ignoreExceptions()
                .atMost(Duration.ofSeconds(150))
                .untilAsserted(() -> {
                    assertThat(sandbox.operator().process().orElseThrow().pid()).isNotEqualTo(operator.pid());
                    assertThat(status().activeDefects).noneMatch(d -> "black".equals(d.type));
                    assertThat(endEvents().getOrDefault("black", 0)).isEqualTo(endsBefore + 1);
                });
        // each black counted since has one start Event: none for the one that was active through the chaos (a
        // next one may have begun if the recovery was slow)
        assertThat(startEvents().getOrDefault("black", 0) - startsBefore)
                .as("start Events of black since the kill, against blacks counted since")
                .isEqualTo(counts().getOrDefault("black", 0L) - countedBefore);
        assertThat(workerPodUids()).as("the same worker pod, and no other").isEqualTo(uids);
        assertNoDuplicateEvents();
    }

    /**
     * Chaos mid-defect: the worker's process is killed while the picture is frozen. The node restarts it in the same
     * pod; the freeze is reported once: no second start Event, not counted again, and still one worker pod.
     */
    @Test
    @Order(7)
    void workerKilledMidDefectReportsTheDefectOnce() {
        Map<String, String> uids = workerPodUids();
        await("freeze active on the StreamMonitor")
                .ignoreExceptions()
                .atMost(DemoStream.CYCLE.plus(DemoStream.SEGMENT))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> status().activeDefects.stream().anyMatch(d -> "freeze".equals(d.type)));
        Instant killed = Instant.now();
        long countedBefore = counts().getOrDefault("freeze", 0L);
        int startsBefore = startEvents().getOrDefault("freeze", 0);
        int endsBefore = endEvents().getOrDefault("freeze", 0);
        Pod pod = workerPods().get(0);

        sandbox.runner()
                .process(pod.getMetadata().getNamespace(), pod.getMetadata().getName())
                .orElseThrow()
                .destroyForcibly();

        await("the worker restarted, connected, and the freeze over")
                .ignoreExceptions()
                .atMost(Duration.ofSeconds(45))
                .untilAsserted(() -> {
                    assertThat(status().workers).extracting(w -> w.connected).containsExactly(true);
                    assertThat(status().activeDefects).noneMatch(d -> "freeze".equals(d.type));
                    assertThat(endEvents().getOrDefault("freeze", 0)).isEqualTo(endsBefore + 1);
                });
        assertThat(Duration.between(killed, Instant.now()))
                .as("recovered within the cycle, before the next freeze")
                .isLessThan(DemoStream.CYCLE.minus(DemoStream.SEGMENT));
        assertThat(startEvents().getOrDefault("freeze", 0))
                .as("start Events of freeze")
                .isEqualTo(startsBefore);
        assertThat(counts().getOrDefault("freeze", 0L))
                .as("freeze counted once")
                .isEqualTo(countedBefore);
        assertThat(workerPodUids()).as("the same worker pod, and no other").isEqualTo(uids);
        assertNoDuplicateEvents();
    }

    @Test
    @Order(8)
    void deletedMonitorLeavesNoPodAndNoProcessWithin10Seconds() {
        Map<String, ProcessHandle> processes = workerProcesses();
        assertThat(processes).isNotEmpty();
        Instant deleted = Instant.now();

        client.resources(StreamMonitor.class).withName(NAME).delete();

        await("pods and processes gone")
                .ignoreExceptions()
                .atMost(Duration.ofSeconds(10))
                .until(() ->
                        workerPods().isEmpty() && processes.values().stream().noneMatch(ProcessHandle::isAlive));
        assertThat(Duration.between(deleted, Instant.now())).isLessThan(Duration.ofSeconds(10));
        assertThat(workerProcesses()).isEmpty();
    }

    @Test
    @Order(9)
    void invalidSpecIsRefusedByTheApiServerWithTheCelMessage() throws Exception {
        Path manifest = Files.writeString(Files.createTempFile("invalid", ".yaml"), """
                apiVersion: monoscope.dev/v1alpha1
                kind: StreamMonitor
                metadata:
                  name: invalid
                spec:
                  source:
                    url: file:///etc/passwd
                """);

        Kubectl.Result refused = kubectl.run("apply", "-f", manifest.toString());

        assertThat(refused.exit()).isNotZero();
        assertThat(refused.output())
                .contains("The StreamMonitor \"invalid\" is invalid")
                .contains("spec.source.url must start with one of http://");
        assertThat(client.resources(StreamMonitor.class).withName("invalid").get())
                .isNull();
        assertThat(workerProcesses()).isEmpty();
    }

    @Test
    @Order(10)
    void kubectlWorksAsOnACluster() throws Exception {
        Path manifest = Files.writeString(Files.createTempFile("kubectl", ".yaml"), """
                apiVersion: monoscope.dev/v1alpha1
                kind: StreamMonitor
                metadata:
                  name: from-kubectl
                spec:
                  suspend: true
                  source:
                    url: %s
                """.formatted(
                        sandbox.stream().url()));

        assertThat(kubectl.run("apply", "-f", manifest.toString()).output())
                .contains("streammonitor.monoscope.dev/from-kubectl created");
        // the CRD's printer columns, printed by the server
        assertThat(kubectl.run("get", "sm").output().lines().findFirst().orElseThrow())
                .contains("NAME", "AGE", "ACTIVE DEFECTS", "HEALTHY", "READY", "DECODER", "FPS");
        assertThat(kubectl.run("explain", "streammonitor.spec").output())
                .contains("KIND:", "StreamMonitor", "FIELD: spec", "source", "replicas");
        assertThat(kubectl.run("get", "events").exit()).isZero();
        assertThat(kubectl.run("apply", "--server-side", "-f", manifest.toString())
                        .output())
                .contains("serverside-applied");
        assertThat(kubectl.run("delete", "-f", manifest.toString()).output()).contains("deleted");
        assertThat(client.resources(StreamMonitor.class)
                        .withName("from-kubectl")
                        .get())
                .isNull();
    }

    @Test
    @Order(11)
    void operatorServiceAccountMayNotReadSecrets() throws Exception {
        String as = "--as=" + OperatorRelease.SERVICE_ACCOUNT_USER;
        assertThat(kubectl.run("auth", "can-i", "get", "secrets", "-A", as).output())
                .isEqualTo("no");
        assertThat(kubectl.run("auth", "can-i", "list", "secrets", "-n", "default", as)
                        .output())
                .isEqualTo("no");
        // what it needs, it has
        assertThat(kubectl.run("auth", "can-i", "create", "pods", "-n", "default", as)
                        .output())
                .isEqualTo("yes");
        assertThat(kubectl.run("auth", "can-i", "update", "streammonitors", "--subresource=status", "-n", "default", as)
                        .output())
                .isEqualTo("yes");
    }

    /** The chart's admission policy: naming a Secret takes being allowed to read it (SecretAdmission says how). */
    @Test
    @Order(11)
    void anAuthorWhoMayNotReadASecretCannotNameItAndAnAdminCan() throws Exception {
        SecretAdmission admission = new SecretAdmission(kubectl);
        admission.setUp();
        assertThat(admission.refusalOfTheUser(sandbox.stream().url()))
                .contains("ValidatingAdmissionPolicy")
                .contains("spec.source.credentialsSecretRef: you may not get Secret " + SecretAdmission.SECRET
                        + " in namespace " + SecretAdmission.NAMESPACE);
        admission.othersAreAllowed(sandbox.stream().url());
    }

    /**
     * GitOps: a tool owns the spec by server-side apply, from manifests that omit {@code spec.replicas}, while an
     * admin scales with {@code kubectl scale}; neither undoes the other.
     */
    @Test
    @Order(12)
    void gitOpsApplyAndKubectlScaleDoNotUndoEachOther() throws Exception {
        String manifest = """
                apiVersion: monoscope.dev/v1alpha1
                kind: StreamMonitor
                metadata:
                  name: gitops
                spec:
                  suspend: true
                  source:
                    url: %s
                  detectors:
                    black:
                      minDurationSeconds: %s
                """;
        Path first = Files.writeString(
                Files.createTempFile("gitops", ".yaml"),
                manifest.formatted(sandbox.stream().url(), "2"));
        Path second = Files.writeString(
                Files.createTempFile("gitops", ".yaml"),
                manifest.formatted(sandbox.stream().url(), "3"));
        String[] gitOps = {"apply", "--server-side", "--field-manager=gitops-tool", "-f"};

        assertThat(kubectl.run(concat(gitOps, first.toString())).exit()).isZero();
        assertThat(kubectl.run("scale", "sm", "gitops", "--replicas=2").exit()).isZero();
        assertThat(kubectl.run(concat(gitOps, second.toString())).exit()).isZero();

        assertThat(kubectl.run("get", "sm", "gitops", "-o", "jsonpath={.spec.replicas}")
                        .output())
                .as("the admin's scale survives the GitOps tool's apply")
                .isEqualTo("2");
        assertThat(kubectl.run("get", "sm", "gitops", "-o", "jsonpath={.spec.detectors.black.minDurationSeconds}")
                        .output())
                .as("the GitOps tool's change is applied")
                .isEqualTo("3");
        String managers = kubectl.run(
                        "get",
                        "sm",
                        "gitops",
                        "--show-managed-fields",
                        "-o",
                        "jsonpath={range .metadata.managedFields[*]}{.manager}:{.operation}{\"\\n\"}{end}")
                .output();
        assertThat(managers).contains("gitops-tool:Apply");
        assertThat(kubectl.run("delete", "sm", "gitops").exit()).isZero();
    }

    private static String[] concat(String[] head, String last) {
        String[] all = java.util.Arrays.copyOf(head, head.length + 1);
        all[head.length] = last;
        return all;
    }

    /**
     * Polls the status for {@code duration} (or until every type in {@code stopWhenSeen} was seen active and none
     * is active any more) and returns the types that were active; fails if a type is ever listed twice at once.
     */
    /** Watches the CR's active defects for {@code duration}, or until all of {@code stopWhenSeen} came and went. */
    private static Set<String> watchActiveDefects(Duration duration, Set<String> stopWhenSeen) {
        return watchActiveDefectsUntil(
                duration,
                (all, active) -> !stopWhenSeen.isEmpty() && all.containsAll(stopWhenSeen) && active.isEmpty());
    }

    /** Watches the CR's active defects for {@code duration}, or until {@code done(seen so far, active now)}. */
    private static Set<String> watchActiveDefectsUntil(Duration duration, BiPredicate<Set<String>, List<String>> done) {
        Set<String> seen = new HashSet<>();
        Instant end = Instant.now().plus(duration);
        while (Instant.now().isBefore(end)) {
            StreamMonitorStatus status = status();
            List<String> active = status == null || status.activeDefects == null
                    ? List.of()
                    : status.activeDefects.stream().map(d -> d.type).toList();
            assertThat(active).as("active defects, each listed once").doesNotHaveDuplicates();
            seen.addAll(active);
            if (done.test(seen, active)) {
                break;
            }
            sleep(Duration.ofMillis(500));
        }
        return seen;
    }

    private static List<Pod> workerPods() {
        return client.pods().withLabel(INSTANCE_LABEL, NAME).list().getItems();
    }

    private static StreamMonitorStatus status() {
        StreamMonitor monitor =
                client.resources(StreamMonitor.class).withName(NAME).get();
        return monitor == null ? null : monitor.getStatus();
    }

    private static Map<String, Long> counts() {
        StreamMonitorStatus status = status();
        return status == null || status.defectCounts == null ? Map.of() : status.defectCounts;
    }

    private static Optional<Condition> condition(String type) {
        return condition(NAME, type);
    }

    private static Optional<Condition> condition(String name, String type) {
        StreamMonitor monitor =
                client.resources(StreamMonitor.class).withName(name).get();
        if (monitor == null || monitor.getStatus() == null || monitor.getStatus().conditions == null) {
            return Optional.empty();
        }
        return monitor.getStatus().conditions.stream()
                .filter(c -> type.equals(c.getType()))
                .findFirst();
    }

    private static List<Event> events() {
        return client.v1().events().list().getItems().stream()
                .filter(e -> NAME.equals(e.getInvolvedObject().getName()))
                .toList();
    }

    /** Warning Events per defect type (a defect's start), repeats included. */
    private static Map<String, Integer> startEvents() {
        return defectEvents("Warning");
    }

    /** Normal Events per defect type (a defect's end), repeats included. */
    private static Map<String, Integer> endEvents() {
        return defectEvents("Normal");
    }

    private static Map<String, Integer> defectEvents(String eventType) {
        Map<String, Integer> events = new HashMap<>();
        for (Event e : events()) {
            EVENT_REASONS.forEach((type, reason) -> {
                if (reason.equals(e.getReason()) && eventType.equals(e.getType())) {
                    events.merge(type, e.getCount() == null ? 1 : e.getCount(), Integer::sum);
                }
            });
        }
        return events;
    }

    private static Map<String, String> workerPodUids() {
        return workerPods().stream()
                .collect(Collectors.toMap(
                        p -> p.getMetadata().getName(), p -> p.getMetadata().getUid()));
    }

    private static long totalDefects() {
        return counts().values().stream().mapToLong(Long::longValue).sum();
    }

    /** The worker processes the node runs (the operator's aside). */
    private static Map<String, ProcessHandle> workerProcesses() {
        Map<String, ProcessHandle> workers = new HashMap<>(sandbox.runner().processes());
        workers.keySet().removeIf(key -> key.startsWith(OperatorRelease.NAMESPACE + "/"));
        return workers;
    }

    /** No two Events say the same thing about the same object: repeats are counted on one Event. */
    private static void assertNoDuplicateEvents() {
        List<String> keys = client.v1().events().inAnyNamespace().list().getItems().stream()
                .filter(e -> "StreamMonitor".equals(e.getInvolvedObject().getKind()))
                .map(e -> e.getInvolvedObject().getUid() + "|" + e.getReason() + "|" + e.getMessage() + "|"
                        + e.getFirstTimestamp())
                .toList();
        assertThat(keys).doesNotHaveDuplicates();
    }

    private static Optional<String> env(Pod pod, String name) {
        return pod.getSpec().getContainers().get(0).getEnv().stream()
                .filter(e -> name.equals(e.getName()))
                .map(EnvVar::getValue)
                .findFirst();
    }

    private static List<String> onlyDemoDefects(List<String> detectors) {
        return detectors == null
                ? List.of()
                : detectors.stream().filter(DEMO_DEFECTS::contains).toList();
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
