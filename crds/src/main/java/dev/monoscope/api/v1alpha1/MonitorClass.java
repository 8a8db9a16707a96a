package dev.monoscope.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.Map;

/**
 * What a cluster's admin decides for the worker pods of the StreamMonitors that use this class (like StorageClass or
 * IngressClass): image, runtime and priority class, placement, GPU resource, and how far a StreamMonitor's own
 * {@code spec.worker} may go. Cluster-scoped; one class may be the default, by annotation.
 */
@Group(StreamMonitor.GROUP)
@Version(StreamMonitor.VERSION)
@ShortNames("mclass")
@Categories("monoscope")
@AdditionalPrinterColumn(
        name = "Default",
        jsonPath = ".metadata.annotations.monoscope\\.dev/is-default-class",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Image", jsonPath = ".spec.worker.image", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
        name = "Age",
        jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
public class MonitorClass extends CustomResource<MonitorClassSpec, Void> {

    /** The annotation that marks the class StreamMonitors use when they name none (value "true"). */
    public static final String DEFAULT_CLASS_ANNOTATION = "monoscope.dev/is-default-class";

    @Override
    @JsonPropertyDescription("What worker pods of this class get, what their StreamMonitors may choose, and where "
            + "the class may be used.")
    public MonitorClassSpec getSpec() {
        return super.getSpec();
    }

    /** Whether this class is marked as the default one. */
    @JsonIgnore
    public boolean isDefault() {
        Map<String, String> annotations =
                getMetadata() == null ? null : getMetadata().getAnnotations();
        return annotations != null && "true".equals(annotations.get(DEFAULT_CLASS_ANNOTATION));
    }
}
