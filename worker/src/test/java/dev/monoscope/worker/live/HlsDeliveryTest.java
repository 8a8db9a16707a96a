package dev.monoscope.worker.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.monoscope.worker.live.DefectLog.Event;
import dev.monoscope.worker.report.ReportState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * HLS delivery health on a live origin served on loopback ({@link LiveHlsOrigin}) that goes stale, loses a segment,
 * slows down and rewinds: each is its {@code delivery} defect, from the worker's own fetches, and clears when the
 * origin behaves again; a stale playlist that is still served is not signal loss.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class HlsDeliveryTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void aPlaylistThatStopsAdvancingIsStaleUntilItAdvancesAndNotSignalLoss() throws Exception {
        watch("stale", (origin, log, state) -> {
            awaitMediaTime(state, 2);
            int mark = log.size();
            origin.freeze();
            long frozeAt = System.nanoTime();
            Event stale = log.await(e -> e.started() && is(e, "stale_playlist"), mark, WAIT, "stale_playlist");
            double after = (stale.nanos() - frozeAt) / 1e9;
            System.out.printf("stale_playlist raised %.2f s after the playlist stopped%n", after);
            assertThat(stale.defect().severity).isEqualTo("critical");
            assertThat(after)
                    .as("1.5 target durations, then the decoder's wait for data")
                    .isLessThan(6);

            origin.resume();
            log.await(e -> !e.started() && is(e, "stale_playlist"), mark, WAIT, "end of stale_playlist");
            double resumedAt = state.read(r -> r.mediaTime);
            awaitMediaTime(state, resumedAt + 2);
            assertThat(log.events()).extracting(Event::type).as(log.describe()).doesNotContain("signal_loss");
            Map<String, Object> delivery = state.read(r -> r.delivery);
            assertThat(delivery.get("variant")).isEqualTo(origin.url());
            assertThat((Long) delivery.get("playlistReloads")).isPositive();
            assertThat((Long) delivery.get("segmentsFetched")).isPositive();
        });
    }

    @Test
    void aSegmentThatAnswers404IsUnavailableAfterTwoRetries() throws Exception {
        watch("404", (origin, log, state) -> {
            awaitMediaTime(state, 2);
            long lost = origin.newest() + 2;
            origin.missing(lost);
            Event unavailable =
                    log.await(e -> e.started() && is(e, "segment_unavailable"), 0, WAIT, "segment_unavailable");
            assertThat(unavailable.defect().details)
                    .containsEntry("sequence", lost)
                    .containsEntry("retries", 2);
            log.await(e -> !e.started() && is(e, "segment_unavailable"), 0, WAIT, "the next segment fetched");
        });
    }

    @Test
    void segmentsSlowerThanTheyLastAreSlowDeliveryUntilOneIsNot() throws Exception {
        watch("slow", (origin, log, state) -> {
            awaitMediaTime(state, 2);
            int mark = log.size();
            origin.slow(1500);
            Event slow = log.await(e -> e.started() && is(e, "slow_delivery"), mark, WAIT, "slow_delivery");
            assertThat(slow.defect().details).containsEntry("inARow", 3);
            assertThat((Double) slow.defect().details.get("fetchSeconds")).isGreaterThan(1.0);
            origin.slow(0);
            log.await(e -> !e.started() && is(e, "slow_delivery"), mark, WAIT, "a segment fetched in time");
        });
    }

    @Test
    void aMediaSequenceThatGoesBackOrSkipsIsARegression() throws Exception {
        watch("regression", (origin, log, state) -> {
            awaitMediaTime(state, 6); // the window of 6 is full: the media sequence moves on every second
            assertThat(log.events()).extracting(Event::type).doesNotContain("delivery");
            origin.jump(-3);
            Event back = log.await(e -> e.started() && is(e, "media_sequence_regression"), 0, WAIT, "regression");
            assertThat(back.defect().details).containsEntry("reason", "backwards");
            Event ordered = log.await(
                    e -> !e.started() && is(e, "media_sequence_regression"), back.index(), WAIT, "ordered reload");
            int mark = ordered.index() + 1;
            // the decoder waits for the segments it has not had (signal loss for a while): frames flow again first
            awaitMediaTime(state, state.read(r -> r.mediaTime) + 3);
            origin.jump(10); // past the window of 6: segments never listed
            Event skip =
                    log.await(e -> e.started() && is(e, "media_sequence_regression"), mark, WAIT, "skipped segments");
            assertThat(skip.defect().details).containsEntry("reason", "skipped");
        });
    }

    /** What a test does with the origin while a monitor watches it. */
    private interface Check {
        void run(LiveHlsOrigin origin, DefectLog log, ReportState state) throws Exception;
    }

    /** Runs {@code check} with a fresh origin and a monitor on it; prints the defects seen. */
    private static void watch(String name, Check check) throws Exception {
        try (LiveHlsOrigin origin = new LiveHlsOrigin()) {
            DefectLog log = new DefectLog();
            ReportState state = new ReportState();
            try (LiveMonitor monitor = LiveMonitor.start(origin.url(), state, List.of(log))) {
                check.run(origin, log, state);
            } finally {
                System.out.println(name + ": " + log.describe());
            }
        }
    }

    private static boolean is(Event e, String subtype) {
        return e.type().equals("delivery") && subtype.equals(e.defect().subtype);
    }

    /** Polls the report until the media clock reaches {@code seconds}. */
    private static void awaitMediaTime(ReportState state, double seconds) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            Double t = state.read(r -> r.mediaTime);
            if (t != null && t >= seconds) {
                return;
            }
            assertThat(System.nanoTime())
                    .as("media time %s never reached %s", t, seconds)
                    .isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
