package dev.monoscope.operator.pods;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.monoscope.api.v1alpha1.CredentialsSecretRef;
import dev.monoscope.api.v1alpha1.DetectorsSpec;
import dev.monoscope.api.v1alpha1.GpuSpec;
import dev.monoscope.api.v1alpha1.SecretKeyRef;
import dev.monoscope.api.v1alpha1.StreamMonitor;
import dev.monoscope.api.v1alpha1.StreamMonitorSpec;
import dev.monoscope.api.v1alpha1.WorkerPodSpec;
import dev.monoscope.api.worker.WorkerConfig;
import dev.monoscope.operator.OperatorConfig;
import dev.monoscope.operator.ShortHash;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The pod spec each shard of a StreamMonitor should run, from the CR and the operator's defaults. */
@Singleton
public class WorkerPodFactory {

    public static final String GPU_TOLERATION_KEY = "nvidia.com/gpu";
    public static final String SCRATCH = "/tmp";
    public static final String JAVACPP_CACHE = SCRATCH + "/javacpp";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final OperatorConfig config;

    public WorkerPodFactory(OperatorConfig config) {
        this.config = config;
    }

    /** Whether the stream's pods ask for a GPU: decoder gpu, or gpu.count 1. */
    public static boolean wantsGpu(StreamMonitorSpec spec) {
        GpuSpec gpu = spec.gpu;
        return StreamMonitorSpec.DECODER_GPU.equals(spec.decoderOrDefault())
                || (gpu != null
                        && gpu.count != null
                        && gpu.count >= 1
                        && !StreamMonitorSpec.DECODER_CPU.equals(spec.decoderOrDefault()));
    }

    /**
     * One desired pod per shard.
     *
     * @param workerClass what the admin decided for the pods (its MonitorClass, or the operator's settings)
     * @param cpuFallback per shard: recreate it without its GPU (the scheduler found none)
     */
    public List<DesiredPod> desired(
            StreamMonitor monitor, WorkerClass workerClass, java.util.function.IntPredicate cpuFallback) {
        StreamMonitorSpec spec = monitor.getSpec();
        DetectorsSpec detectors = spec.detectors == null ? new DetectorsSpec() : spec.detectors;
        List<List<String>> plan = ShardPlanner.plan(detectors.enabledKeys(), spec.replicasOrDefault());
        List<DesiredPod> pods = new ArrayList<>();
        for (int i = 0; i < plan.size(); i++) {
            boolean fallback = wantsGpu(spec) && cpuFallback.test(i);
            Shard shard = new Shard(i, plan.size(), plan.get(i), wantsGpu(spec) && !fallback, fallback);
            pods.add(build(monitor, workerClass, shard));
        }
        return pods;
    }

    /** One shard's part of the work: its index, how many there are, its detectors, and where it decodes. */
    record Shard(int index, int count, List<String> detectors, boolean gpu, boolean fallback) {}

    DesiredPod build(StreamMonitor monitor, WorkerClass workerClass, Shard shard) {
        StreamMonitorSpec spec = monitor.getSpec();
        WorkerPodSpec worker = spec.worker == null ? new WorkerPodSpec() : spec.worker;
        WorkerClass.PodDefaults defaults = workerClass.pod();
        String name = monitor.getMetadata().getName();
        boolean gpu = shard.gpu();

        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(WorkerPods.LABEL_NAME, WorkerPods.NAME);
        labels.put(WorkerPods.LABEL_INSTANCE, name);
        labels.put(WorkerPods.LABEL_SHARD, Integer.toString(shard.index()));
        Map<String, String> annotations = annotations(worker, gpu, shard.fallback());

        // spec.worker's placement replaces the class's as a whole (an empty list or map clears it).
        List<Toleration> tolerations = tolerations(worker, defaults, gpu);
        Map<String, String> nodeSelector = worker.nodeSelector != null ? worker.nodeSelector : defaults.nodeSelector();
        Affinity affinity = worker.affinity != null ? worker.affinity : defaults.affinity();
        String runtimeClass = worker.runtimeClassName != null
                ? worker.runtimeClassName
                : gpu ? defaults.gpuRuntimeClassName() : defaults.runtimeClassName();
        String priorityClass =
                worker.priorityClassName != null ? worker.priorityClassName : defaults.priorityClassName();
        boolean hostNetwork = worker.hostNetwork != null && worker.hostNetwork;
        String image = worker.image != null ? worker.image : defaults.image();

        Pod pod = new PodBuilder()
                .withNewMetadata()
                .withNamespace(monitor.getMetadata().getNamespace())
                .withLabels(labels)
                .withAnnotations(annotations)
                .withOwnerReferences(ownerReference(monitor))
                .endMetadata()
                .withNewSpec()
                .withAutomountServiceAccountToken(false)
                .withEnableServiceLinks(false)
                .withRestartPolicy("Always")
                .withHostNetwork(hostNetwork ? true : null)
                .withDnsPolicy(hostNetwork ? "ClusterFirstWithHostNet" : null)
                .withNodeSelector(nodeSelector == null || nodeSelector.isEmpty() ? null : nodeSelector)
                .withAffinity(affinity)
                .withTolerations(tolerations.isEmpty() ? null : tolerations)
                .withRuntimeClassName(runtimeClass)
                .withPriorityClassName(priorityClass)
                .withSecurityContext(podSecurityContext())
                .withContainers(container(monitor, shard, image, worker, defaults.gpuResourceName()))
                .addNewVolume()
                .withName("scratch")
                .withNewEmptyDir()
                .withSizeLimit(new Quantity(config.worker().scratchSize()))
                .endEmptyDir()
                .endVolume()
                .addAllToVolumes(SourceTlsMount.volumes(monitor))
                .endSpec()
                .build();

        String hash = ShortHash.of(Serialization.asJson(pod));
        pod.getMetadata().setName(name + "-" + shard.index() + "-" + hash.substring(0, 5));
        pod.getMetadata().getAnnotations().put(WorkerPods.ANNOTATION_CONFIG_HASH, hash);
        return new DesiredPod(shard.index(), hash, gpu, pod);
    }

    /** The StreamMonitor owns its pods: deleting it deletes them (garbage collection). */
    private static OwnerReference ownerReference(StreamMonitor monitor) {
        return new OwnerReferenceBuilder()
                .withApiVersion(monitor.getApiVersion())
                .withKind(monitor.getKind())
                .withName(monitor.getMetadata().getName())
                .withUid(monitor.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build();
    }

    /** Non-root, with the default seccomp profile; the scratch volume belongs to the worker's group. */
    private PodSecurityContext podSecurityContext() {
        long uid = config.worker().runAsUser();
        return new PodSecurityContextBuilder()
                .withRunAsNonRoot(true)
                .withRunAsUser(uid)
                .withRunAsGroup(uid)
                .withFsGroup(uid)
                .withNewSeccompProfile()
                .withType("RuntimeDefault")
                .endSeccompProfile()
                .build();
    }

    /** The worker container: its configuration, probes, resources and a locked-down security context. */
    private Container container(
            StreamMonitor monitor, Shard shard, String image, WorkerPodSpec worker, String gpuResourceName) {
        GpuSpec gpuSpec = monitor.getSpec().gpu;
        String gpuResource = gpuSpec != null && gpuSpec.resourceName != null ? gpuSpec.resourceName : gpuResourceName;
        return new ContainerBuilder()
                .withName(WorkerPods.CONTAINER)
                .withImage(image)
                .withImagePullPolicy(config.worker().imagePullPolicy())
                .withArgs("server")
                .withEnv(env(monitor, shard))
                .addNewPort()
                .withName("http")
                .withContainerPort(config.report().port())
                .withProtocol("TCP")
                .endPort()
                .addAllToPorts(
                        SrtListener.ports(monitor.getSpec().source == null ? null : monitor.getSpec().source.url))
                .withNewReadinessProbe()
                .withNewHttpGet()
                .withPath("/q/health/ready")
                .withNewPort("http")
                .endHttpGet()
                .withPeriodSeconds(5)
                .withFailureThreshold(3)
                .endReadinessProbe()
                .withNewLivenessProbe()
                .withNewHttpGet()
                .withPath("/q/health/live")
                .withNewPort("http")
                .endHttpGet()
                .withInitialDelaySeconds(10)
                .withPeriodSeconds(10)
                .withFailureThreshold(3)
                .endLivenessProbe()
                .withResources(resources(worker.resources, shard.gpu() ? gpuResource : null))
                .withNewSecurityContext()
                .withAllowPrivilegeEscalation(false)
                .withReadOnlyRootFilesystem(true)
                .withRunAsNonRoot(true)
                .withPrivileged(false)
                .withNewCapabilities()
                .withDrop("ALL")
                .endCapabilities()
                .withNewSeccompProfile()
                .withType("RuntimeDefault")
                .endSeccompProfile()
                .endSecurityContext()
                .addNewVolumeMount()
                .withName("scratch")
                .withMountPath(SCRATCH)
                .endVolumeMount()
                .addAllToVolumeMounts(SourceTlsMount.mounts(monitor))
                .build();
    }

    /** The CR's pod annotations, except the operator's own, and the operator's. */
    private static Map<String, String> annotations(WorkerPodSpec worker, boolean gpu, boolean fallback) {
        Map<String, String> annotations = new LinkedHashMap<>();
        if (worker.podAnnotations != null) {
            worker.podAnnotations.forEach((key, value) -> {
                if (!WorkerPolicy.isReserved(key)) { // WorkerPolicy refuses them; never taken whatever happens
                    annotations.put(key, value);
                }
            });
        }
        if (gpu) {
            annotations.put(WorkerPods.ANNOTATION_GPU, "true");
        }
        if (fallback) {
            annotations.put(WorkerPods.ANNOTATION_CPU_FALLBACK, "true");
        }
        return annotations;
    }

    /** spec.worker's tolerations, else the class's; GPU pods also tolerate the GPU taint. */
    private static List<Toleration> tolerations(WorkerPodSpec worker, WorkerClass.PodDefaults defaults, boolean gpu) {
        List<Toleration> tolerations = new ArrayList<>(
                worker.tolerations != null
                        ? worker.tolerations
                        : defaults.tolerations() == null ? List.of() : defaults.tolerations());
        Toleration gpuToleration = new TolerationBuilder()
                .withKey(GPU_TOLERATION_KEY)
                .withOperator("Exists")
                .withEffect("NoSchedule")
                .build();
        if (gpu && !tolerations.contains(gpuToleration)) {
            tolerations.add(gpuToleration);
        }
        return tolerations;
    }

    private List<EnvVar> env(StreamMonitor monitor, Shard shard) {
        List<EnvVar> env = new ArrayList<>();
        env.add(new EnvVar(
                WorkerConfig.ENV_CONFIG,
                ShardConfig.json(
                        monitor,
                        shard.index(),
                        shard.count(),
                        shard.detectors(),
                        shard.fallback(),
                        config.worker().scratchSize()),
                null));
        env.add(fieldEnv(WorkerConfig.ENV_POD_IP, "status.podIP"));
        env.add(fieldEnv(WorkerConfig.ENV_POD_UID, "metadata.uid"));
        env.add(new EnvVar("JAVACPP_CACHE_DIR", JAVACPP_CACHE, null));
        env.add(new EnvVar(
                "JAVA_TOOL_OPTIONS",
                "-Dorg.bytedeco.javacpp.cachedir=" + JAVACPP_CACHE + " -Djava.io.tmpdir=" + SCRATCH,
                null));
        CredentialsSecretRef credentials =
                monitor.getSpec().source == null ? null : monitor.getSpec().source.credentialsSecretRef;
        if (credentials != null) {
            env.add(secretEnv(
                    WorkerConfig.ENV_SOURCE_USERNAME,
                    credentials.name,
                    credentials.usernameKey == null ? "username" : credentials.usernameKey));
            env.add(secretEnv(
                    WorkerConfig.ENV_SOURCE_PASSWORD,
                    credentials.name,
                    credentials.passwordKey == null ? "password" : credentials.passwordKey));
        }
        SecretKeyRef webhook = monitor.getSpec().alerts == null || monitor.getSpec().alerts.webhook == null
                ? null
                : monitor.getSpec().alerts.webhook.urlSecretRef;
        if (webhook != null) {
            env.add(secretEnv(WorkerConfig.ENV_WEBHOOK_URL, webhook.name, webhook.key));
        }
        env.addAll(SourceTlsMount.env(monitor));
        if (shard.gpu()) {
            env.add(new EnvVar("NVIDIA_DRIVER_CAPABILITIES", "compute,video,utility", null));
        }
        return env;
    }

    /** A value of the pod's own, through the downward API. */
    private static EnvVar fieldEnv(String name, String fieldPath) {
        return new EnvVarBuilder()
                .withName(name)
                .withNewValueFrom()
                .withNewFieldRef()
                .withFieldPath(fieldPath)
                .endFieldRef()
                .endValueFrom()
                .build();
    }

    private static EnvVar secretEnv(String name, String secret, String key) {
        return new EnvVarBuilder()
                .withName(name)
                .withNewValueFrom()
                .withNewSecretKeyRef()
                .withName(secret)
                .withKey(key)
                .withOptional(false)
                .endSecretKeyRef()
                .endValueFrom()
                .build();
    }

    /** spec.worker's resources over the operator's defaults, and one GPU when {@code gpuResource} is set. */
    private ResourceRequirements resources(ResourceRequirements fromSpec, String gpuResource) {
        ResourceRequirementsBuilder b =
                fromSpec != null ? new ResourceRequirementsBuilder(fromSpec) : new ResourceRequirementsBuilder();
        Map<String, Quantity> requests = new LinkedHashMap<>();
        Map<String, Quantity> limits = new LinkedHashMap<>();
        requests.put("cpu", new Quantity(config.worker().cpuRequest()));
        requests.put("memory", new Quantity(config.worker().memoryRequest()));
        limits.put("cpu", new Quantity(config.worker().cpuLimit()));
        limits.put("memory", new Quantity(config.worker().memoryLimit()));
        if (fromSpec != null && fromSpec.getRequests() != null) {
            requests.putAll(fromSpec.getRequests());
        }
        if (fromSpec != null && fromSpec.getLimits() != null) {
            limits.putAll(fromSpec.getLimits());
        }
        if (gpuResource != null) {
            limits.put(gpuResource, new Quantity("1"));
        }
        return b.withRequests(requests).withLimits(limits).build();
    }
}
