package dev.monoscope.operator.pods;

/**
 * Something that happened to a worker pod during a rollout, for an Event.
 *
 * @param pod the pod it happened to
 * @param shard its shard
 * @param cause what kind of thing happened, from a small set (for REPLACED "configuration", for LOST
 *     "deleted" or the pod's failure reason): Events of the same shard and cause are one Event with a count
 * @param detail for REPLACED the new pod's name; for LOST what happened ("failed (Evicted: …)", "was deleted")
 */
public record PodOccurrence(Kind kind, String pod, int shard, String cause, String detail) {

    public enum Kind {
        /** Replaced by a new pod after a configuration change. */
        REPLACED,
        /** Failed, evicted or deleted behind the operator's back: its shard gets a new pod after a backoff. */
        LOST,
        /** Its creation refused by the API server; cause is the refusal's reason, detail the server's message. */
        REFUSED
    }
}
