package dev.monoscope.sandbox;

import static dev.monoscope.sandbox.HttpProbe.seconds;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One pod on the sandbox node: its first container run as a local process bound to the pod's own loopback address,
 * probed like the kubelet does, restarted per {@code restartPolicy} with back-off, and described as a
 * {@link PodStatus}. Driven by {@link LocalPodRunner}'s loop through {@link #tick}; not thread-safe.
 */
final class PodProcess {

    static final Duration FIRST_RESTART_DELAY = Duration.ofSeconds(1);
    static final Duration MIN_BACKOFF = Duration.ofSeconds(10);
    static final Duration MAX_BACKOFF = Duration.ofMinutes(5);
    /** A container that ran this long without failing starts its back-off again from the beginning. */
    static final Duration BACKOFF_RESET = Duration.ofMinutes(10);

    private final String ip;
    private final String nodeName;
    private final Optional<ImageTable.Entrypoint> entrypoint;
    private final Map<String, String> clusterEnvironment;
    private final PodEnvironment environment;
    private final Path log;
    private final PodVolumes volumes;
    private final PidFiles pids;
    private final Instant created = Instant.now();
    private Pod pod;

    private Process process;
    private Instant startedAt;
    private int restarts;
    private Instant nextStart = Instant.EPOCH;
    private Duration backoff = Duration.ZERO;
    private boolean finished;
    private ContainerState lastTerminated;
    private ContainerState terminated;
    private String waitingReason = "ContainerCreating";
    private String waitingMessage;
    private boolean ready;
    private boolean started;
    private Instant lastLivenessProbe = Instant.EPOCH;
    private int livenessFailures;
    private String killedBecause; // why the node killed the running container (a failed probe), or null

    /**
     * @param entrypoint         what the container's image stands for on this node; empty: an image it cannot pull
     * @param clusterEnvironment what every container gets besides its own environment (the API's address)
     */
    PodProcess(
            Pod pod,
            String ip,
            String nodeName,
            Optional<ImageTable.Entrypoint> entrypoint,
            Map<String, String> clusterEnvironment,
            PodEnvironment environment,
            PodVolumes volumes,
            Path logDir,
            PidFiles pids) {
        this.pids = pids;
        this.pod = pod;
        this.ip = ip;
        this.nodeName = nodeName;
        this.entrypoint = entrypoint;
        this.clusterEnvironment = Map.copyOf(clusterEnvironment);
        this.environment = environment;
        this.volumes = volumes;
        this.log = logDir.resolve(
                pod.getMetadata().getNamespace() + "." + pod.getMetadata().getName() + ".log");
    }

    String ip() {
        return ip;
    }

    String uid() {
        return pod.getMetadata().getUid();
    }

    Path log() {
        return log;
    }

    Optional<ProcessHandle> process() {
        return process != null && process.isAlive() ? Optional.of(process.toHandle()) : Optional.empty();
    }

    void update(Pod latest) {
        this.pod = latest;
    }

    /** Starts, probes, notices exits and restarts; returns the pod's status as of now. */
    PodStatus tick(Instant now) {
        if (process != null && !process.isAlive()) {
            onExit(now);
        }
        if (process == null && !finished && !now.isBefore(nextStart)) {
            start(now);
        }
        if (process != null && process.isAlive()) {
            probe(now);
            refreshTokens(now);
        }
        return status();
    }

    /** Stops the container's process tree (SIGTERM, then SIGKILL after the grace period). Blocks. */
    void stop(Duration grace) {
        finished = true;
        Process running = process;
        if (running != null) {
            ProcessTree.stop(running.toHandle(), grace);
        }
        pids.forget(pidName());
    }

    private String pidName() {
        return "pod." + pod.getMetadata().getNamespace() + "."
                + pod.getMetadata().getName();
    }

    /** How long a stopped container gets between SIGTERM and SIGKILL: the deletion's grace period, else the pod's. */
    Duration gracePeriod() {
        Long seconds = pod.getMetadata().getDeletionGracePeriodSeconds() != null
                ? pod.getMetadata().getDeletionGracePeriodSeconds()
                : pod.getSpec().getTerminationGracePeriodSeconds();
        // Capped: the sandbox must stop within seconds even when a pod asks for Kubernetes' default of 30 s.
        return Duration.ofSeconds(Math.min(seconds == null ? 5 : seconds, 5));
    }

    private Container container() {
        return pod.getSpec().getContainers().get(0);
    }

    private void start(Instant now) {
        if (entrypoint.isEmpty()) {
            waitingReason = "ErrImagePull";
            waitingMessage = "image \"" + container().getImage() + "\" is not one the sandbox's node can run";
            nextStart = now.plusSeconds(5);
            return;
        }
        Map<String, String> env = containerEnvironment(now);
        if (env == null) {
            return;
        }
        ProcessBuilder builder = processBuilder(env);
        try {
            Files.createDirectories(log.getParent());
            Files.writeString(
                    log,
                    "---- " + now + " starting container " + container().getName()
                            + " of pod " + pod.getMetadata().getName() + " on " + ip
                            + (startedAt == null ? "" : " (restart " + (restarts + 1) + ")") + "\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            process = builder.start();
            pids.record(pidName(), process.toHandle());
        } catch (IOException e) {
            waitingReason = "RunContainerError";
            waitingMessage = e.getMessage();
            nextStart = now.plusSeconds(5);
            return;
        }
        started(now);
    }

    /** The container's process started: its state starts over. */
    private void started(Instant now) {
        if (startedAt != null) {
            restarts++;
        }
        startedAt = now;
        terminated = null;
        waitingReason = null;
        waitingMessage = null;
        ready = false;
        started = container().getStartupProbe() == null;
        livenessFailures = 0;
        lastLivenessProbe = now;
        killedBecause = null;
    }

    /** The container's environment: the cluster's, its volumes', its own; null (and why) when it cannot be had. */
    private Map<String, String> containerEnvironment(Instant now) {
        Map<String, String> env = new LinkedHashMap<>(clusterEnvironment);
        try {
            Map<String, String> mounts = volumes.mount(pod, container());
            env.putAll(PodVolumes.clientEnvironment(mounts, pod));
            env.putAll(environment.resolve(pod, container(), ip, nodeName, mounts));
            return env;
        } catch (PodEnvironment.ConfigError e) {
            waitingMessage = e.getMessage();
        } catch (IOException | RuntimeException e) {
            waitingMessage = "cannot read the pod's environment: " + e.getMessage();
        }
        waitingReason = "CreateContainerConfigError";
        nextStart = now.plusSeconds(2);
        return null;
    }

    /** The container's command line, its log, and its environment alone (not the node's). */
    private ProcessBuilder processBuilder(Map<String, String> env) {
        List<String> command = new ArrayList<>(entrypoint.get().command(ip));
        if (container().getArgs() != null) {
            command.addAll(container().getArgs());
        }
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // A container sees its own environment, not the node's: keep only what a JVM needs to start.
        Map<String, String> processEnv = builder.environment();
        processEnv.keySet().retainAll(List.of("PATH", "HOME", "JAVA_HOME", "LANG", "TMPDIR", "TZ"));
        processEnv.putAll(env);
        processEnv.putIfAbsent("HOSTNAME", pod.getMetadata().getName());
        return builder;
    }

    /** Deletes the pod's volume directories, once its process has stopped. */
    void deleteVolumes() {
        volumes.delete();
    }

    private void refreshTokens(Instant now) {
        try {
            volumes.refreshTokens(pod, container(), now);
        } catch (IOException | RuntimeException e) {
            System.err.println("pod runner: cannot refresh the tokens of " + pidName() + ": " + e);
        }
    }

    private void onExit(Instant now) {
        int exit = process.exitValue();
        String reason = killedBecause != null ? "Error" : exit == 0 ? "Completed" : "Error";
        lastTerminated = new ContainerStateBuilder()
                .withNewTerminated()
                .withExitCode(exit)
                .withReason(reason)
                .withStartedAt(startedAt.truncatedTo(ChronoUnit.SECONDS).toString())
                .withFinishedAt(now.truncatedTo(ChronoUnit.SECONDS).toString())
                .withMessage(killedBecause)
                .endTerminated()
                .build();
        process = null;
        ready = false;
        String policy = Optional.ofNullable(pod.getSpec().getRestartPolicy()).orElse("Always");
        boolean restart = policy.equals("Always") || (policy.equals("OnFailure") && exit != 0);
        if (!restart) {
            finished = true;
            terminated = lastTerminated;
            return;
        }
        if (Duration.between(startedAt, now).compareTo(BACKOFF_RESET) > 0) {
            backoff = Duration.ZERO;
        }
        // The kubelet restarts a crashed container at once the first time, then backs off 10 s, 20 s, … 5 min.
        backoff = backoff.isZero()
                ? FIRST_RESTART_DELAY
                : backoff.compareTo(MIN_BACKOFF) < 0
                        ? MIN_BACKOFF
                        : backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        nextStart = now.plus(backoff);
        waitingReason = backoff.compareTo(MIN_BACKOFF) >= 0 ? "CrashLoopBackOff" : "ContainerCreating";
        waitingMessage = backoff.compareTo(MIN_BACKOFF) >= 0
                ? "back-off " + backoff.toSeconds() + "s restarting failed container"
                : null;
    }

    private void probe(Instant now) {
        Duration running = Duration.between(startedAt, now);
        if (!started) {
            // No readiness or liveness probe before the startup probe passes; it is probed on every tick, and the
            // container is killed once initialDelay + period x failureThreshold has passed without success.
            Probe startup = container().getStartupProbe();
            started = running.getSeconds() >= seconds(startup.getInitialDelaySeconds(), 0)
                    && HttpProbe.passes(startup, ip, container());
            long allowed = seconds(startup.getInitialDelaySeconds(), 0)
                    + (long) seconds(startup.getPeriodSeconds(), 10) * seconds(startup.getFailureThreshold(), 3);
            if (!started && running.getSeconds() > allowed) {
                kill("startup probe failed");
            }
            return;
        }
        Probe readiness = container().getReadinessProbe();
        if (readiness == null) {
            ready = true;
        } else if (running.getSeconds() >= seconds(readiness.getInitialDelaySeconds(), 0)) {
            // Probed on every tick (about once a second) rather than every periodSeconds: the sandbox is for
            // watching things happen, and a probe of a local process costs nothing.
            ready = HttpProbe.passes(readiness, ip, container());
        }
        Probe liveness = container().getLivenessProbe();
        if (liveness == null
                || running.getSeconds() < seconds(liveness.getInitialDelaySeconds(), 0)
                || Duration.between(lastLivenessProbe, now).getSeconds() < seconds(liveness.getPeriodSeconds(), 10)) {
            return;
        }
        lastLivenessProbe = now;
        livenessFailures = HttpProbe.passes(liveness, ip, container()) ? 0 : livenessFailures + 1;
        if (livenessFailures >= seconds(liveness.getFailureThreshold(), 3)) {
            kill("liveness probe failed");
        }
    }

    /** Kills the container for a failed probe, in the background: the restart policy decides what follows. */
    private void kill(String why) {
        killedBecause = why;
        livenessFailures = 0;
        Process failing = process;
        Thread killer = new Thread(
                () -> ProcessTree.stop(failing.toHandle(), gracePeriod()),
                "kill-" + pod.getMetadata().getName());
        killer.setDaemon(true);
        killer.start();
    }

    private PodStatus status() {
        boolean running = process != null;
        String phase = finished && terminated != null
                ? (terminated.getTerminated().getExitCode() == 0 ? "Succeeded" : "Failed")
                : startedAt == null ? "Pending" : "Running";
        ContainerState state;
        if (running) {
            state = new ContainerStateBuilder()
                    .withNewRunning()
                    .withStartedAt(startedAt.truncatedTo(ChronoUnit.SECONDS).toString())
                    .endRunning()
                    .build();
        } else if (terminated != null) {
            state = terminated;
        } else {
            state = new ContainerStateBuilder()
                    .withNewWaiting()
                    .withReason(waitingReason)
                    .withMessage(waitingMessage)
                    .endWaiting()
                    .build();
        }
        Container container = container();
        String createdAt = created.truncatedTo(ChronoUnit.SECONDS).toString();
        String readySince = startedAt == null
                ? createdAt
                : startedAt.truncatedTo(ChronoUnit.SECONDS).toString();
        return new PodStatusBuilder()
                .withPhase(phase)
                .withHostIP("127.0.0.1")
                .addNewHostIP("127.0.0.1")
                .withPodIP(ip)
                .addNewPodIP(ip)
                .withStartTime(createdAt)
                .withConditions(
                        condition("PodScheduled", true, createdAt),
                        condition("Initialized", true, createdAt),
                        condition("ContainersReady", running && ready, readySince),
                        condition("Ready", running && ready, readySince))
                .withContainerStatuses(new ContainerStatusBuilder()
                        .withName(container.getName())
                        .withImage(container.getImage())
                        .withImageID("")
                        .withContainerID(running ? "sandbox://" + process.pid() : null)
                        .withReady(running && ready)
                        .withStarted(running)
                        .withRestartCount(restarts)
                        .withState(state)
                        .withLastState(lastTerminated)
                        .build())
                .build();
    }

    private static PodCondition condition(String type, boolean status, String since) {
        return new PodConditionBuilder()
                .withType(type)
                .withStatus(status ? "True" : "False")
                .withLastTransitionTime(since)
                .build();
    }
}
