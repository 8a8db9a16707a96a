package dev.monoscope.operator.pods;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ShardBackoffTest {

    @Test
    void doublesFromTenSecondsToFiveMinutesPerShardAndResetsWhenStable() {
        ShardBackoff backoff = new ShardBackoff(Duration.ofSeconds(10), Duration.ofMinutes(5));
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        assertThat(backoff.remaining("a/0", t)).isZero();
        backoff.failed("a/0", t);
        assertThat(backoff.remaining("a/0", t)).isEqualTo(Duration.ofSeconds(10));
        assertThat(backoff.remaining("a/1", t)).isZero();
        backoff.failed("a/0", t);
        assertThat(backoff.remaining("a/0", t)).isEqualTo(Duration.ofSeconds(20));
        for (int i = 0; i < 10; i++) {
            backoff.failed("a/0", t);
        }
        assertThat(backoff.remaining("a/0", t)).isEqualTo(Duration.ofMinutes(5));
        assertThat(backoff.remaining("a/0", t.plus(Duration.ofMinutes(5)))).isZero();
        backoff.stable("a/0");
        backoff.failed("a/0", t);
        assertThat(backoff.remaining("a/0", t)).isEqualTo(Duration.ofSeconds(10));
    }
}
