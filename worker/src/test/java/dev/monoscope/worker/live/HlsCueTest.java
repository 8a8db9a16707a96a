package dev.monoscope.worker.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.monoscope.api.worker.Cue;
import dev.monoscope.worker.live.DefectLog.Event;
import dev.monoscope.worker.report.ReportState;
import dev.monoscope.worker.transport.Scte35Sections;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * SCTE-35 in a live HLS playlist served on loopback ({@link LiveHlsOrigin}): EXT-X-CUE-OUT / -CONT / -IN, an
 * EXT-X-DATERANGE carrying a splice_insert section (SCTE35-OUT, hexadecimal), an EXT-OATCLS-SCTE35 carrying a
 * time_signal (base64) are each one cue event, once, however many reloads list them; a DATERANGE whose section has a
 * broken CRC is a crc_error, and a CUE-OUT whose CUE-IN never comes a missing_return.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class HlsCueTest {

    @Test
    void playlistCueTagsAreCuesOnceAndBrokenOrUnreturnedOnesAreDefects() throws Exception {
        try (LiveHlsOrigin origin = new LiveHlsOrigin()) {
            DefectLog log = new DefectLog();
            ReportState state = new ReportState();
            try (LiveMonitor monitor = LiveMonitor.start(origin.url(), state, List.of(log))) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (state.read(r -> r.mediaTime) == null && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                long k = origin.newest() + 2;
                origin.tagBefore(k, "#EXT-X-CUE-OUT:DURATION=2");
                origin.tagBefore(k + 1, "#EXT-X-CUE-OUT-CONT:ElapsedTime=1,Duration=2");
                origin.tagBefore(k + 2, "#EXT-X-CUE-IN");
                byte[] insert = Scte35Sections.spliceInsert(7, true, 0, 30.0, true, 0);
                origin.tagBefore(
                        k + 3,
                        "#EXT-X-DATERANGE:ID=\"7\",START-DATE=\"2026-01-01T00:00:00Z\","
                                + "PLANNED-DURATION=30,SCTE35-OUT=0x"
                                + HexFormat.of().formatHex(insert));
                byte[] signal = Scte35Sections.timeSignal(0, 9, 0x34, 60.0);
                origin.tagBefore(
                        k + 3, "#EXT-OATCLS-SCTE35:" + Base64.getEncoder().encodeToString(signal));
                byte[] broken = Scte35Sections.withBrokenCrc(Scte35Sections.spliceNull());
                origin.tagBefore(
                        k + 4,
                        "#EXT-X-DATERANGE:ID=\"x\",START-DATE=\"2026-01-01T00:00:05Z\"," + "SCTE35-CMD=0x"
                                + HexFormat.of().formatHex(broken));
                origin.tagBefore(k + 5, "#EXT-X-CUE-OUT:1");

                List<Cue> cues = log.awaitCues(5, Duration.ofSeconds(30));
                Event missing = log.await(
                        e -> e.started() && "missing_return".equals(e.defect().subtype),
                        0,
                        Duration.ofSeconds(30),
                        "missing_return");

                assertThat(cues).allSatisfy(c -> assertThat(c.source).isEqualTo("hls"));
                assertThat(cues)
                        .extracting(c -> c.command, c -> c.outOfNetwork)
                        .containsExactly(
                                org.assertj.core.groups.Tuple.tuple("splice_insert", true),
                                org.assertj.core.groups.Tuple.tuple("splice_insert", false),
                                org.assertj.core.groups.Tuple.tuple("splice_insert", true),
                                org.assertj.core.groups.Tuple.tuple("time_signal", true),
                                org.assertj.core.groups.Tuple.tuple("splice_insert", true));
                assertThat(cues.get(0).duration).isEqualTo(2.0);
                assertThat(cues.get(2).eventId).isEqualTo(7);
                assertThat(cues.get(3).segmentationType).isEqualTo(0x34);
                assertThat(cues.get(1).time).isGreaterThan(cues.get(0).time);
                assertThat(missing.defect().details)
                        .containsEntry("source", "hls")
                        .containsEntry("duration", 1.0);
                assertThat(missing.defect().start)
                        .isCloseTo(cues.get(4).time + 1 + 2, org.assertj.core.api.Assertions.within(0.01));
                assertThat(log.events())
                        .filteredOn(e -> e.started() && e.type().equals("scte35"))
                        .extracting(e -> e.defect().subtype)
                        .as(log.describe())
                        .containsExactlyInAnyOrder("crc_error", "missing_return");
                List<Cue> inReport = state.read(r -> r.lastCues);
                assertThat(inReport).hasSize(5);
                assertThat(log.cues())
                        .as("each tag once, however many reloads list it")
                        .hasSize(5);
            } finally {
                System.out.println("hls cues: " + log.describe());
            }
        }
    }
}
