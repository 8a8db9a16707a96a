package dev.monoscope.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.List;
import java.util.Map;

/**
 * The CRD's schema for the Kubernetes types that the API embeds (affinity, tolerations, resources, conditions):
 * the same fields as Kubernetes' own types, each with a description, so that {@code kubectl explain} teaches them
 * too. Only the CRD generator reads these classes ({@code @SchemaFrom}); the Java API keeps Kubernetes' types.
 */
public final class KubernetesTypeSchemas {

    private KubernetesTypeSchemas() {}

    public static class Affinity {
        @JsonPropertyDescription("Node affinity: which nodes worker pods may or prefer to run on, by node labels.")
        public NodeAffinity nodeAffinity;

        @JsonPropertyDescription("Run worker pods near pods that match these terms (same node, zone, ...).")
        public PodAffinity podAffinity;

        @JsonPropertyDescription("Keep worker pods away from pods that match these terms (e.g. spread replicas).")
        public PodAffinity podAntiAffinity;
    }

    public static class NodeAffinity {
        @JsonPropertyDescription("Nodes to prefer: the scheduler adds each matching term's weight to a node's score.")
        public List<PreferredSchedulingTerm> preferredDuringSchedulingIgnoredDuringExecution;

        @JsonPropertyDescription(
                "Nodes a pod may run on: it is only scheduled where one of the terms matches (running pods stay).")
        public NodeSelector requiredDuringSchedulingIgnoredDuringExecution;
    }

    public static class PreferredSchedulingTerm {
        @JsonPropertyDescription("The node selector term a node must match to earn the weight.")
        public NodeSelectorTerm preference;

        @JsonPropertyDescription("Weight added to a matching node's score, 1 to 100.")
        public Integer weight;
    }

    public static class NodeSelector {
        @JsonPropertyDescription("Node selector terms, ORed: a node matching any one of them qualifies.")
        public List<NodeSelectorTerm> nodeSelectorTerms;
    }

    public static class NodeSelectorTerm {
        @JsonPropertyDescription("Requirements on node labels, ANDed.")
        public List<NodeSelectorRequirement> matchExpressions;

        @JsonPropertyDescription("Requirements on node fields (metadata.name), ANDed.")
        public List<NodeSelectorRequirement> matchFields;
    }

    public static class NodeSelectorRequirement {
        @JsonPropertyDescription("The label key (or field name) the requirement applies to.")
        public String key;

        @JsonPropertyDescription("How the key relates to the values: In, NotIn, Exists, DoesNotExist, Gt or Lt.")
        public String operator;

        @JsonPropertyDescription(
                "The values to compare with: one or more for In and NotIn, none for Exists and DoesNotExist, one "
                        + "integer for Gt and Lt.")
        public List<String> values;
    }

    public static class PodAffinity {
        @JsonPropertyDescription("Terms to prefer: the scheduler adds each matching term's weight to a node's score.")
        public List<WeightedPodAffinityTerm> preferredDuringSchedulingIgnoredDuringExecution;

        @JsonPropertyDescription("Terms a node must satisfy for a pod to be scheduled there (running pods stay).")
        public List<PodAffinityTerm> requiredDuringSchedulingIgnoredDuringExecution;
    }

    public static class WeightedPodAffinityTerm {
        @JsonPropertyDescription("The pod affinity term a node must satisfy to earn the weight.")
        public PodAffinityTerm podAffinityTerm;

        @JsonPropertyDescription("Weight added to a matching node's score, 1 to 100.")
        public Integer weight;
    }

    public static class PodAffinityTerm {
        @JsonPropertyDescription("The pods this term is about, by label.")
        public LabelSelector labelSelector;

        @JsonPropertyDescription(
                "Label keys whose values are taken from the incoming pod and added to labelSelector (with In).")
        public List<String> matchLabelKeys;

        @JsonPropertyDescription(
                "Label keys whose values are taken from the incoming pod and added to labelSelector (with NotIn).")
        public List<String> mismatchLabelKeys;

        @JsonPropertyDescription("The namespaces whose pods this term is about, by label; with namespaces, ORed.")
        public LabelSelector namespaceSelector;

        @JsonPropertyDescription("The namespaces whose pods this term is about; default: the pod's own.")
        public List<String> namespaces;

        @JsonPropertyDescription("The node label that says what near means: kubernetes.io/hostname for the same node, "
                + "topology.kubernetes.io/zone for the same zone.")
        public String topologyKey;
    }

    public static class LabelSelector {
        @JsonPropertyDescription("Requirements on labels, ANDed with each other and with matchLabels.")
        public List<LabelSelectorRequirement> matchExpressions;

        @JsonPropertyDescription("Labels that must be present with exactly these values.")
        public Map<String, String> matchLabels;
    }

    public static class LabelSelectorRequirement {
        @JsonPropertyDescription("The label key the requirement applies to.")
        public String key;

        @JsonPropertyDescription("How the key relates to the values: In, NotIn, Exists or DoesNotExist.")
        public String operator;

        @JsonPropertyDescription("The values to compare with: one or more for In and NotIn, none otherwise.")
        public List<String> values;
    }

    public static class ResourceRequirements {
        @JsonPropertyDescription("Dynamic resource claims of the pod that the container uses, by name.")
        public List<ResourceClaim> claims;

        @JsonPropertyDescription("The most of each resource the container may use, e.g. cpu: \"2\", memory: 1Gi.")
        public Map<String, IntOrString> limits;

        @JsonPropertyDescription(
                "What the scheduler reserves for the container, e.g. cpu: 500m, memory: 512Mi; default: the limits.")
        public Map<String, IntOrString> requests;
    }

    public static class ResourceClaim {
        @JsonPropertyDescription("The name of one of the pod's resourceClaims.")
        public String name;

        @JsonPropertyDescription("Which request of that claim the container gets; empty: the whole claim.")
        public String request;
    }

    public static class Toleration {
        @JsonPropertyDescription("The taint effect tolerated: NoSchedule, PreferNoSchedule or NoExecute; empty: all.")
        public String effect;

        @JsonPropertyDescription("The taint key tolerated; empty with operator Exists: every taint.")
        public String key;

        @JsonPropertyDescription("Equal (the taint's value must be value) or Exists (any value). Default: Equal.")
        public String operator;

        @JsonPropertyDescription(
                "For NoExecute: how long the pod stays bound once the taint appears, seconds; unset: for ever.")
        public Long tolerationSeconds;

        @JsonPropertyDescription("The taint value tolerated, with operator Equal.")
        public String value;
    }

    public static class Condition {
        @JsonPropertyDescription("When the condition last changed status (RFC 3339).")
        public String lastTransitionTime;

        @JsonPropertyDescription("What happened, for people.")
        public String message;

        @JsonPropertyDescription("The metadata.generation of the spec the condition was computed from.")
        public Long observedGeneration;

        @JsonPropertyDescription("Why, in one CamelCase word, for programs (e.g. InvalidSpec, BlackVideo).")
        public String reason;

        @JsonPropertyDescription("True, False or Unknown.")
        public String status;

        @JsonPropertyDescription("The condition's type, e.g. Ready, Healthy, Connected.")
        public String type;
    }

    /** The item schema of {@code tolerations}. */
    public static class Tolerations extends java.util.ArrayList<Toleration> {}

    /** The item schema of {@code conditions}. */
    public static class Conditions extends java.util.ArrayList<Condition> {}
}
