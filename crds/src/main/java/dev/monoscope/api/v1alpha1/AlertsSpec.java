package dev.monoscope.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Where defects are pushed besides status, Events and metrics. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AlertsSpec {

    @JsonPropertyDescription("POST a JSON message to a URL when a defect starts and when it ends.")
    public WebhookSpec webhook;

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class WebhookSpec {
        @JsonPropertyDescription(
                "The Secret key that holds the webhook URL (URLs often carry tokens, so they live in Secrets).")
        public SecretKeyRef urlSecretRef;
    }
}
