package dev.monoscope.worker.detect;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Video timestamp discontinuities (a splice, a restarted encoder), for Prometheus: how many there were
 * ({@code monoscope_pts_discontinuities_total}) and the size of the last one ({@code monoscope_pts_last_jump_seconds},
 * signed: negative for a jump back). Not defects: no picture need be missing. Written on the decode thread, read at
 * scrape time.
 */
public final class TimestampJumps implements MeterBinder {

    private volatile long count;
    private volatile double lastJumpSeconds;

    /** The timestamps jumped by {@code seconds}. */
    void jumped(double seconds) {
        lastJumpSeconds = seconds;
        count++; // one writer: the decode thread
    }

    public long count() {
        return count;
    }

    public double lastJumpSeconds() {
        return lastJumpSeconds;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("monoscope.pts.discontinuities", this, TimestampJumps::count)
                .description("Video timestamp discontinuities (a step back, or forward by over 1 s)")
                .register(registry);
        Gauge.builder("monoscope.pts.last.jump", this, TimestampJumps::lastJumpSeconds)
                .baseUnit("seconds")
                .description("Size of the last video timestamp discontinuity, negative for a jump back (0: none yet)")
                .register(registry);
    }
}
