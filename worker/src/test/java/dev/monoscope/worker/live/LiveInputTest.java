package dev.monoscope.worker.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.monoscope.worker.live.DefectLog.Event;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live inputs served on loopback (HTTP progressive MPEG-TS, live HLS, UDP MPEG-TS), each sent at real time by the
 * bundled ffmpeg: the clip's defects are found; when the sender stops, {@code signal_loss} is raised within the
 * timeout plus a second (for live HLS, whose playlist is still served but no longer advances, {@code delivery}'s
 * {@code stale_playlist} instead); when it comes back, the defect clears and later defects are still found, in the
 * same monitor.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class LiveInputTest {

    /** The default signal-loss timeout; the target duration of the HLS playlist is 1 s, so it applies there too. */
    private static final double TIMEOUT_SECONDS = 3.0;

    private static Path clip;

    @BeforeAll
    static void clip() {
        clip = LiveClip.get();
    }

    @Test
    void httpProgressiveMpegTs() throws Exception {
        try (LoopbackSender sender = LoopbackSender.http(clip)) {
            sender.start();
            // each connection gets the clip from its start, so the media clock matches the clip's own times
            stallAndRecover(sender, true, "signal_loss");
        }
    }

    @Test
    void liveHls(@TempDir Path dir) throws Exception {
        try (LoopbackSender sender = LoopbackSender.hls(clip, dir)) {
            sender.start();
            stallAndRecover(sender, false, "delivery");
        }
    }

    @Test
    void udpMpegTs() throws Exception {
        try (LoopbackSender sender = LoopbackSender.udp(clip)) {
            sender.start();
            stallAndRecover(sender, false, "signal_loss");
        }
    }

    /** @param outage the defect a stalled sender is: signal_loss, or delivery for a stale live HLS playlist */
    private void stallAndRecover(LoopbackSender sender, boolean clipTimesAreMediaTimes, String outage)
            throws Exception {
        DefectLog log = new DefectLog();
        try (LiveMonitor monitor = LiveMonitor.start(sender.url(), log)) {
            Event black = log.awaitEnded("black", 0, Duration.ofSeconds(30));
            if (clipTimesAreMediaTimes) {
                assertThat(black.defect().start).isCloseTo(LiveClip.BLACK_START, within(0.1));
                assertThat(black.defect().end).isCloseTo(LiveClip.BLACK_END, within(0.1));
            }

            assertThat(log.events())
                    .extracting(Event::type)
                    .as("%s while the sender was sending:%s", outage, log.describe())
                    .doesNotContain(outage);
            int beforeStop = log.size();
            sender.stop();
            long stoppedAt = System.nanoTime();
            Event lost = log.awaitStarted(outage, beforeStop, Duration.ofSeconds(15));
            double raisedAfter = (lost.nanos() - stoppedAt) / 1e9;
            System.out.printf("%s: %s raised %.2f s after the sender stopped%n", sender.url(), outage, raisedAfter);
            assertThat(raisedAfter)
                    .as("%s raised %.2f s after the sender stopped", outage, raisedAfter)
                    .isLessThanOrEqualTo(TIMEOUT_SECONDS + 1);

            int mark = log.size();
            assertThat(log.events().subList(beforeStop, mark))
                    .extracting(Event::type)
                    .as("the stall is one defect:%s", log.describe())
                    .containsOnly(outage);
            sender.start();
            Event restored = log.awaitEnded(outage, mark, Duration.ofSeconds(30));
            Event blackAgain = log.awaitEnded("black", mark, Duration.ofSeconds(30));
            Event silence = log.awaitEnded("silence", mark, Duration.ofSeconds(30));
            assertThat(blackAgain.defect().start).isGreaterThan(restored.defect().end);
            assertThat(silence.defect().end - silence.defect().start)
                    .isCloseTo(LiveClip.SILENCE_END - LiveClip.SILENCE_START, within(0.1));
            assertThat(blackAgain.defect().end - blackAgain.defect().start)
                    .isCloseTo(LiveClip.BLACK_END - LiveClip.BLACK_START, within(0.1));
            // nothing but what the clip holds and the outage (a restarted HLS sender's playlist is gone for a moment)
            assertThat(log.events())
                    .extracting(Event::type)
                    .as(log.describe())
                    .containsOnly("black", "silence", outage, "signal_loss");
        } finally {
            System.out.println(sender.url() + " events:" + log.describe());
        }
    }
}
