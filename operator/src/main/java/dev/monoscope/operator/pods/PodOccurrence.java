package dev.monoscope.operator.pods;

/**
 * Something that happened to a worker pod during a rollout, for an Event.
 *
 * @param pod the pod it happened to
 * @param detail for REPLACED the new pod's name; for LOST what happened ("failed (Evicted: …)", "was deleted")
 */
public record PodOccurrence(Kind kind, String pod, String detail) {

    public enum Kind {
        /** Replaced by a new pod after a configuration change. */
        REPLACED,
        /** Failed, evicted or deleted behind the operator's back: its shard gets a new pod after a backoff. */
        LOST
    }
}
