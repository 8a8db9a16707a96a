package dev.monoscope.worker.server;

import java.time.Duration;
import java.util.Map;

/**
 * Liveness of a worker's pipeline: its thread runs and its loop moves (a frame, an open or reconnect attempt, a
 * backoff wait counts from when it ends) within the stall limit. Every network read has a deadline, so a loop that
 * stops moving is stuck where nothing but a restart helps: Kubernetes restarts the container.
 *
 * @param stallLimit how long the loop may stand still
 */
record PipelineLiveness(Duration stallLimit) {

    /** Environment variable: seconds the pipeline loop may stand still before liveness fails. */
    static final String ENV_STALL_SECONDS = "MONOSCOPE_LIVENESS_STALL_SECONDS";

    /** Longer than any bounded wait of the loop: a backoff (30 s) or an open (30 s probing) plus the signal timeout. */
    static final Duration DEFAULT_STALL_LIMIT = Duration.ofSeconds(120);

    static PipelineLiveness fromEnv(Map<String, String> env) {
        String value = env.get(ENV_STALL_SECONDS);
        if (value == null || value.isBlank()) {
            return new PipelineLiveness(DEFAULT_STALL_LIMIT);
        }
        try {
            double seconds = Double.parseDouble(value.trim());
            if (seconds > 0) {
                return new PipelineLiveness(Duration.ofMillis(Math.round(seconds * 1000)));
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException(ENV_STALL_SECONDS + " must be a positive number of seconds: " + value);
    }

    /** Whether a pipeline whose loop last moved at {@code progressNanos} ({@link System#nanoTime()}) is alive now. */
    boolean moving(long progressNanos, long nowNanos) {
        return nowNanos - progressNanos <= stallLimit.toNanos();
    }
}
