package dev.monoscope.worker.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.monoscope.worker.source.MediaPlaylist;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The delivery checks' rules on playlists and fetch times given to them, on a wall clock the test sets. */
class DeliveryChecksTest {

    private static final long SECOND = 1_000_000_000L;

    /** A live playlist of target duration 2 listing {@code count} 2 s segments from {@code first}. */
    private static MediaPlaylist playlist(long first, int count, boolean discontinuityFirst) {
        List<MediaPlaylist.Segment> segments = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            segments.add(
                    new MediaPlaylist.Segment(first + i, "s" + (first + i) + ".ts", 2.0, i == 0 && discontinuityFirst));
        }
        return new MediaPlaylist(URI.create("http://o/live.m3u8"), 2.0, first, false, segments, List.of());
    }

    @Test
    void aPlaylistIsStaleOnlyAfterOneAndAHalfTargetDurationsWithoutAdvancing() {
        DeliveryChecks checks = new DeliveryChecks();
        checks.playlist(playlist(10, 3, false), 0);
        checks.playlist(playlist(10, 3, false), 2 * SECOND);

        assertThat(checks.tick(3 * SECOND))
                .as("3 s = 1.5 target durations: not yet")
                .isEmpty();
        List<DeliveryChecks.Verdict> stale = checks.tick(3 * SECOND + 1);
        assertThat(stale).singleElement().satisfies(v -> {
            assertThat(v.subtype()).isEqualTo("stale_playlist");
            assertThat(v.defective()).isTrue();
            assertThat(v.nanos()).as("from when it was due").isEqualTo(3 * SECOND);
        });
        assertThat(checks.stale()).isTrue();
        assertThat(checks.playlist(playlist(11, 3, false), 4 * SECOND))
                .extracting(DeliveryChecks.Verdict::subtype, DeliveryChecks.Verdict::defective)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("stale_playlist", false));
    }

    @Test
    void segmentsSkippedAtADeclaredDiscontinuityAreNoRegression() {
        DeliveryChecks checks = new DeliveryChecks();
        checks.playlist(playlist(10, 3, false), 0);

        assertThat(checks.playlist(playlist(20, 3, true), SECOND)).isEmpty();
        assertThat(checks.playlist(playlist(30, 3, false), 2 * SECOND))
                .singleElement()
                .satisfies(v -> assertThat(v.details())
                        .containsEntry("reason", "skipped")
                        .containsEntry("skippedSegments", 7L));
    }

    @Test
    void threeSlowFetchesInARowAreSlowDeliveryAndOneInTimeEndsIt() {
        DeliveryChecks checks = new DeliveryChecks();
        MediaPlaylist.Segment s = playlist(0, 1, false).segments().get(0);

        assertThat(checks.fetched(s, 0, 2.5, SECOND)).isEmpty();
        assertThat(checks.fetched(s, 3 * SECOND, 2.5, 4 * SECOND)).isEmpty();
        assertThat(checks.fetched(s, 6 * SECOND, 1.0, 7 * SECOND))
                .as("one in time starts the count over")
                .isEmpty();
        checks.fetched(s, 8 * SECOND, 2.1, 9 * SECOND);
        checks.fetched(s, 11 * SECOND, 2.1, 12 * SECOND);
        List<DeliveryChecks.Verdict> slow = checks.fetched(s, 14 * SECOND, 2.1, 15 * SECOND);
        assertThat(slow).singleElement().satisfies(v -> {
            assertThat(v.defective()).isTrue();
            assertThat(v.nanos()).as("from the first of the three").isEqualTo(8 * SECOND);
        });
        assertThat(checks.fetched(s, 17 * SECOND, 0.5, 18 * SECOND))
                .extracting(DeliveryChecks.Verdict::subtype, DeliveryChecks.Verdict::defective)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("slow_delivery", false));
    }
}
