package dev.monoscope.worker.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Tier 1: the media clock starts at 0 and never runs backwards, across timestamp jumps and reconnects. */
@Timeout(10)
class MediaClockTest {

    @Test
    void startsAtZeroAndFollowsTheStream() {
        MediaClock clock = new MediaClock();
        clock.startAt(1.4);
        assertThat(clock.map(1.44)).isCloseTo(0.04, within(1e-9));
        assertThat(clock.map(2.4)).isCloseTo(1.0, within(1e-9));
        assertThat(clock.latest()).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void aTimestampWrapOrJumpContinuesFromWhereTheClockWas() {
        MediaClock clock = new MediaClock();
        clock.map(95443.0); // near the 33-bit wrap of MPEG-TS
        clock.map(95444.0);
        assertThat(clock.map(0.5)).isCloseTo(1.0, within(1e-9)); // wrapped: carries on
        assertThat(clock.map(0.54)).isCloseTo(1.04, within(1e-9));
    }

    @Test
    void afterAReconnectTimeWithoutSignalCountsByTheWallClock() throws InterruptedException {
        MediaClock clock = new MediaClock();
        clock.map(10.0);
        clock.map(12.0);
        clock.reconnected();
        Thread.sleep(300);
        double resumed = clock.map(500.0); // the source restarted with other timestamps
        assertThat(resumed).isBetween(2.3, 3.5);
        assertThat(clock.map(500.04)).isCloseTo(resumed + 0.04, within(1e-9));
    }

    @Test
    void aLongOutageIsNotMistakenForATimestampJump() {
        MediaClock clock = new MediaClock();
        long wall = 1_000_000_000L;
        clock.map(10.0, wall);
        clock.reconnected();
        // 12 s without signal: longer than a timestamp jump, and still time on the clock
        double resumed = clock.map(10.0, wall + 12_000_000_000L);
        assertThat(resumed).isCloseTo(12.0, within(1e-6));
        assertThat(clock.map(10.04, wall + 12_040_000_000L)).isCloseTo(12.04, within(1e-6));
    }

    @Test
    void aPictureFromBeforeALongStallNeitherMovesTheClockNorJumps() {
        MediaClock clock = new MediaClock();
        for (int i = 0; i <= 300; i++) {
            clock.map(i * 0.04); // the sound goes on through 12 s of video the decoder lost
        }
        // the picture the decoder held back through the stall, handed out with the keyframe that ended it
        assertThat(clock.mapPast(0.52)).isCloseTo(0.52, within(1e-9));
        assertThat(clock.mapPast(0.56)).as("a picture found lost").isCloseTo(0.56, within(1e-9));
        assertThat(clock.map(12.04)).as("the keyframe").isCloseTo(12.04, within(1e-9));
        assertThat(clock.mapPast(12.08))
                .as("a time not past yet moves the clock")
                .isCloseTo(12.08, within(1e-9));
        assertThat(clock.latest()).isCloseTo(12.08, within(1e-9));
    }
}
