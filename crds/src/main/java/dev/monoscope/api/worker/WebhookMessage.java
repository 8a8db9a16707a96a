package dev.monoscope.api.worker;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The webhook payload (docs/architecture.md, "Webhook payload"). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WebhookMessage {

    public static final String DEFECT_STARTED = "defect_started";
    public static final String DEFECT_ENDED = "defect_ended";

    public Stream stream;
    /** {@link #DEFECT_STARTED} or {@link #DEFECT_ENDED}. */
    public String event;

    public String instanceId;
    public Defect defect;

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Stream {
        public String namespace;
        public String name;
        /** With any credentials stripped. */
        public String url;
    }
}
