package dev.monoscope.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/** Polls a condition until it holds, with a deadline: the sandbox waits for things, it never sleeps in their place. */
final class Await {

    static final Duration POLL = Duration.ofMillis(250);

    private Await() {}

    /** Returns once {@code condition} holds; an exception from it counts as "not yet". */
    static void until(String what, BooleanSupplier condition, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        RuntimeException last = null;
        while (Instant.now().isBefore(deadline)) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException notYet) {
                last = notYet;
            }
            pause(POLL);
        }
        throw new IllegalStateException(
                "waited " + timeout.toSeconds() + " s for " + what + (last == null ? "" : ": " + last.getMessage()));
    }

    static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
