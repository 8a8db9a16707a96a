package dev.monoscope.worker.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** What the delivery checks read in a media playlist: sequence numbers, durations, discontinuities, cue tags. */
class MediaPlaylistTest {

    private static final URI AT = URI.create("http://origin.example/live/index.m3u8");

    @Test
    void segmentsAreNumberedFromTheMediaSequence() {
        MediaPlaylist p = MediaPlaylist.parse(AT, """
                #EXTM3U
                #EXT-X-TARGETDURATION:4
                #EXT-X-MEDIA-SEQUENCE:120
                #EXTINF:4.0,
                a120.ts
                #EXT-X-DISCONTINUITY
                #EXT-X-CUE-OUT:30
                #EXTINF:3.5,
                b121.ts
                #EXT-X-CUE-IN
                #EXTINF:4.0,
                b122.ts
                """);

        assertThat(p.targetDuration()).isEqualTo(4.0);
        assertThat(p.mediaSequence()).isEqualTo(120);
        assertThat(p.lastSequence()).isEqualTo(122);
        assertThat(p.ended()).isFalse();
        assertThat(p.segments())
                .extracting(
                        MediaPlaylist.Segment::sequence,
                        MediaPlaylist.Segment::duration,
                        MediaPlaylist.Segment::discontinuity)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(120L, 4.0, false),
                        org.assertj.core.groups.Tuple.tuple(121L, 3.5, true),
                        org.assertj.core.groups.Tuple.tuple(122L, 4.0, false));
        assertThat(p.cueTags())
                .containsExactly(new HlsCueTag("EXT-X-CUE-OUT", "30", 121), new HlsCueTag("EXT-X-CUE-IN", "", 122));
    }

    @Test
    void aDateRangeIsACueTagOnlyWithAnScte35Attribute() {
        MediaPlaylist p = MediaPlaylist.parse(AT, """
                #EXTM3U
                #EXT-X-TARGETDURATION:2
                #EXT-X-DATERANGE:ID="chapter",START-DATE="2026-01-01T00:00:00Z"
                #EXT-X-DATERANGE:ID="ad1",START-DATE="2026-01-01T00:00:02Z",PLANNED-DURATION=15,SCTE35-OUT=0xFC30
                #EXTINF:2.0,
                s0.ts
                #EXT-X-ENDLIST
                """);

        assertThat(p.ended()).isTrue();
        assertThat(p.cueTags()).hasSize(1);
        assertThat(p.cueTags().get(0).attribute("SCTE35-OUT")).isEqualTo("0xFC30");
        assertThat(p.cueTags().get(0).attribute("ID")).isEqualTo("ad1");
        assertThat(p.cueTags().get(0).attribute("PLANNED-DURATION")).isEqualTo("15");
    }
}
