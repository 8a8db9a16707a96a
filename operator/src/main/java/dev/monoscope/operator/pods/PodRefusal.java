package dev.monoscope.operator.pods;

import java.util.Locale;

/**
 * The API server refused to create a shard's pod (Pod Security, a ResourceQuota, an invalid pod): the user sees
 * it as the Ready condition's reason and an Event, and the shard tries again after its backoff.
 *
 * @param code the HTTP status (403, 422, …)
 * @param message the API server's message
 */
public record PodRefusal(int shard, String pod, int code, String message) {

    /** The condition and Event reason: QuotaExceeded, PodForbidden, PodInvalid or PodCreateFailed. */
    public String reason() {
        String text = message == null ? "" : message.toLowerCase(Locale.ROOT);
        if (code == 403 && text.contains("exceeded quota")) {
            return "QuotaExceeded";
        }
        return switch (code) {
            case 403 -> "PodForbidden";
            case 422 -> "PodInvalid";
            default -> "PodCreateFailed";
        };
    }
}
