package dev.monoscope.worker.source;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What a playlist's tags may make a worker do: its target duration is taken within 1 to 60 s. */
class HlsPlaylistTest {

    private static double target(String value) {
        return HlsPlaylist.parse("#EXTM3U\n#EXT-X-TARGETDURATION:" + value + "\n#EXTINF:1,\ns.ts\n")
                .playlist()
                .targetDuration();
    }

    @Test
    void aTargetDurationThatIsNotANumberOrNotPositiveCountsAsOneSecond() {
        assertThat(target("NaN")).isEqualTo(1);
        assertThat(target("0")).isEqualTo(1);
        assertThat(target("-5")).isEqualTo(1);
        assertThat(target("ten")).isEqualTo(1);
    }

    @Test
    void aHugeTargetDurationIsCutToSixtySeconds() {
        assertThat(target("1e9")).isEqualTo(60);
        assertThat(target("Infinity")).isEqualTo(60);
        assertThat(target("6")).isEqualTo(6);
    }
}
