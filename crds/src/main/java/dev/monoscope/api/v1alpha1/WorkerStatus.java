package dev.monoscope.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** One worker pod as the operator sees it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WorkerStatus {

    @JsonPropertyDescription("The pod's name.")
    public String pod;

    @JsonPropertyDescription("The node the pod runs on.")
    public String node;

    @JsonPropertyDescription("The detector shard this pod runs, from 0.")
    public Integer shard;

    @JsonPropertyDescription("Where the pod decodes: cpu or cuda.")
    public String decoder;

    @JsonPropertyDescription("Container restarts of the pod.")
    public Integer restarts;

    @JsonPropertyDescription("Whether the worker is connected to the stream.")
    public Boolean connected;

    @JsonPropertyDescription("The detectors this pod runs.")
    public List<String> detectors;
}
