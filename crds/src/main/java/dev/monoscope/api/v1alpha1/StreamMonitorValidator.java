package dev.monoscope.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The CRD's checks in Java: the operator runs them itself, because a cluster may run an older CRD and the test
 * API server applies no schema. Two parts: the OpenAPI constraints ({@code @Required}, {@code @Min}, {@code @Max},
 * {@code @Size}, {@code @Pattern}), read from the same annotations the CRD generator reads, so they cannot drift;
 * and the CEL rules, written out by hand with the same messages as in the CRD.
 */
public final class StreamMonitorValidator {

    private StreamMonitorValidator() {}

    /** Every problem with the resource, each message naming the field; empty when it is valid. */
    public static List<String> validate(StreamMonitor monitor) {
        List<String> problems = new ArrayList<>();
        String name =
                monitor.getMetadata() == null ? null : monitor.getMetadata().getName();
        if (name != null && name.length() > StreamMonitor.MAX_NAME_LENGTH) {
            problems.add("metadata.name must be at most 52 characters, so that worker pod names and label values fit "
                    + "(it has " + name.length() + ")");
        }
        StreamMonitorSpec spec = monitor.getSpec();
        if (spec == null) {
            problems.add("spec is required");
            return problems;
        }
        checkAnnotations(spec, "spec", problems);
        checkRules(spec, problems);
        return problems;
    }

    // --- the CEL rules of the CRD, same messages ------------------------------------------------------------

    private static void checkRules(StreamMonitorSpec spec, List<String> problems) {
        SourceSpec source = spec.source;
        if (source != null && source.url != null && !source.url.matches(SourceSpec.URL_PATTERN)) {
            problems.add(SourceSpec.MESSAGE_URL);
        }
        if (source != null
                && source.audioTracks != null
                && source.audioTracks.stream().anyMatch(t -> t == null || t < 1 || t > 64)) {
            problems.add(SourceSpec.MESSAGE_AUDIO_TRACKS);
        }
        if (source != null && source.tls != null && source.tls.skipsVerify() && source.tls.caBundle != null) {
            problems.add(SourceTlsSpec.MESSAGE_ONE_OF);
        }
        String decoder = spec.decoderOrDefault();
        if (!List.of(StreamMonitorSpec.DECODER_AUTO, StreamMonitorSpec.DECODER_CPU, StreamMonitorSpec.DECODER_GPU)
                .contains(decoder)) {
            problems.add(StreamMonitorSpec.MESSAGE_DECODER + " (it is '" + decoder + "')");
        }
        Integer gpuCount = spec.gpu == null ? null : spec.gpu.count;
        if (StreamMonitorSpec.DECODER_CPU.equals(decoder) && gpuCount != null && gpuCount != 0) {
            problems.add(StreamMonitorSpec.MESSAGE_CPU_NO_GPU);
        }
        if (StreamMonitorSpec.DECODER_GPU.equals(decoder) && gpuCount != null && gpuCount != 1) {
            problems.add(StreamMonitorSpec.MESSAGE_GPU_NEEDS_GPU);
        }
        DetectorsSpec detectors = spec.detectors == null ? new DetectorsSpec() : spec.detectors;
        int enabled = detectors.enabledKeys().size();
        if (spec.replicas != null && spec.replicas > enabled) {
            problems.add(StreamMonitorSpec.MESSAGE_REPLICAS + " (replicas " + spec.replicas + ", enabled detectors "
                    + enabled + ")");
        }
    }

    // --- the OpenAPI constraints, from the annotations ------------------------------------------------------

    private static void checkAnnotations(Object object, String path, List<String> problems) {
        for (Class<?> type = object.getClass(); type != null && type != Object.class; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers()) || !Modifier.isPublic(field.getModifiers())) {
                    continue;
                }
                Object value;
                try {
                    value = field.get(object);
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
                String fieldPath = path + "." + jsonName(field);
                checkField(field, value, fieldPath, problems);
                if (value != null && isApiType(value.getClass())) {
                    checkAnnotations(value, fieldPath, problems);
                }
            }
        }
    }

    private static void checkField(Field field, Object value, String path, List<String> problems) {
        if (value == null) {
            if (field.isAnnotationPresent(Required.class)) {
                problems.add(path + " is required");
            }
            return;
        }
        Min min = field.getAnnotation(Min.class);
        Max max = field.getAnnotation(Max.class);
        if (value instanceof Number number && (min != null || max != null)) {
            double v = number.doubleValue();
            if ((min != null && (min.inclusive() ? v < min.value() : v <= min.value()))
                    || (max != null && (max.inclusive() ? v > max.value() : v >= max.value()))) {
                problems.add(path + " must be " + range(min, max) + " (it is " + plain(v) + ")");
            }
        }
        Size size = field.getAnnotation(Size.class);
        if (size != null) {
            long length = value instanceof String s
                    ? s.length()
                    : value instanceof Collection<?> c ? c.size() : value instanceof Map<?, ?> m ? m.size() : -1;
            if (length >= 0 && (length < size.min() || length > size.max())) {
                problems.add(path + " must have between " + size.min() + " and " + size.max()
                        + " characters or entries (it has " + length + ")");
            }
        }
        Pattern pattern = field.getAnnotation(Pattern.class);
        // A field with a CEL rule gets that rule's clearer message from checkRules instead.
        if (pattern != null
                && !field.isAnnotationPresent(ValidationRule.class)
                && value instanceof String s
                && !java.util.regex.Pattern.compile(pattern.value()).matcher(s).find()) {
            problems.add(path + " must match " + pattern.value());
        }
    }

    private static String range(Min min, Max max) {
        if (min != null && max != null) {
            return "between " + plain(min.value()) + " and " + plain(max.value());
        }
        return min != null ? "at least " + plain(min.value()) : "at most " + plain(max.value());
    }

    private static String plain(double v) {
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    private static String jsonName(Field field) {
        JsonProperty property = field.getAnnotation(JsonProperty.class);
        return property != null && !property.value().isEmpty() ? property.value() : field.getName();
    }

    /** Only this API's own types are walked; embedded Kubernetes types (affinity, resources) are the API server's. */
    private static boolean isApiType(Class<?> type) {
        return type.getPackageName().startsWith("dev.monoscope.api");
    }
}
