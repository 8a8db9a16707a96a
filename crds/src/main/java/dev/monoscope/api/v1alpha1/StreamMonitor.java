package dev.monoscope.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** One live stream to watch for defects. */
@Group(StreamMonitor.GROUP)
@Version(StreamMonitor.VERSION)
@ShortNames({"sm", "smon"})
@Categories("monoscope")
@AdditionalPrinterColumn(
        name = "Ready",
        jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
        name = "Healthy",
        jsonPath = ".status.conditions[?(@.type==\"Healthy\")].status",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
        name = "Active Defects",
        jsonPath = ".status.activeDefectSummary",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Decoder", jsonPath = ".status.decoder", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
        name = "FPS",
        jsonPath = ".status.stream.frameRate",
        type = AdditionalPrinterColumn.Type.NUMBER)
@AdditionalPrinterColumn(
        name = "Age",
        jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
@ValidationRule(
        value = "self.metadata.name.size() <= " + StreamMonitor.MAX_NAME_LENGTH,
        message = "metadata.name must be at most 52 characters, so that worker pod names and label values fit")
public class StreamMonitor extends CustomResource<StreamMonitorSpec, StreamMonitorStatus> implements Namespaced {

    public static final String GROUP = "monoscope.dev";
    public static final String VERSION = "v1alpha1";
    public static final int MAX_NAME_LENGTH = 52;

    // Overridden only to give spec and status a description in kubectl explain.
    @Override
    @JsonPropertyDescription("What to monitor and how: the source, the detectors and how worker pods are run.")
    public StreamMonitorSpec getSpec() {
        return super.getSpec();
    }

    @Override
    @JsonPropertyDescription(
            "What the operator observed. Written by the operator only, when something a user sees changed.")
    public StreamMonitorStatus getStatus() {
        return super.getStatus();
    }

    @Override
    protected StreamMonitorStatus initStatus() {
        return new StreamMonitorStatus();
    }
}
