package dev.monoscope.operator.pods;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-shard exponential backoff for recreating pods that failed, were evicted or were deleted from outside:
 * the first recreate waits {@code initial}, each further failure doubles it, up to {@code max}. A shard whose pod
 * has been ready for {@code max} starts again from the beginning.
 */
public class ShardBackoff {

    private record State(int failures, Instant notBefore) {}

    private final Duration initial;
    private final Duration max;
    private final Map<String, State> states = new ConcurrentHashMap<>();

    public ShardBackoff(Duration initial, Duration max) {
        this.initial = initial;
        this.max = max;
    }

    public void failed(String shardKey, Instant now) {
        states.compute(shardKey, (k, s) -> {
            int failures = s == null ? 1 : s.failures + 1;
            return new State(failures, now.plus(delay(failures)));
        });
    }

    Duration delay(int failures) {
        long millis = initial.toMillis() << Math.min(failures - 1, 20);
        return Duration.ofMillis(Math.min(millis, max.toMillis()));
    }

    /** Zero when the shard may get a new pod now, otherwise how long to wait. */
    public Duration remaining(String shardKey, Instant now) {
        State s = states.get(shardKey);
        if (s == null || !now.isBefore(s.notBefore)) {
            return Duration.ZERO;
        }
        return Duration.between(now, s.notBefore);
    }

    public void stable(String shardKey) {
        states.remove(shardKey);
    }

    public Duration max() {
        return max;
    }

    public boolean remembersAny(String prefix) {
        return states.keySet().stream().anyMatch(k -> k.startsWith(prefix));
    }

    public void forgetAll(String prefix) {
        states.keySet().removeIf(k -> k.startsWith(prefix));
    }
}
