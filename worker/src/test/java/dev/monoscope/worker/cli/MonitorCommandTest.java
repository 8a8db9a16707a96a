package dev.monoscope.worker.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.monoscope.worker.media.TestMedia;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The monitor command's promises: options, exit codes, JSON Lines, evidence. Small clips, generated once. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MonitorCommandTest {

    /** 6 s, 320x240 25 fps, clean. */
    static Path clean() {
        return TestMedia.clip(
                "cli-clean.ts",
                List.of(
                        "-f",
                        "lavfi",
                        "-i",
                        "testsrc2=size=320x240:rate=25:duration=6",
                        "-f",
                        "lavfi",
                        "-i",
                        "sine=frequency=440:sample_rate=48000:duration=6",
                        "-c:v",
                        "libopenh264",
                        "-b:v",
                        "500k",
                        "-g",
                        "25",
                        "-c:a",
                        "mp2"));
    }

    /** 6 s with black from 1 s to 4 s. */
    static Path black() {
        return TestMedia.clip(
                "cli-black.ts",
                List.of(
                        "-f",
                        "lavfi",
                        "-i",
                        "testsrc2=size=320x240:rate=25:duration=6",
                        "-f",
                        "lavfi",
                        "-i",
                        "sine=frequency=440:sample_rate=48000:duration=6",
                        "-vf",
                        "drawbox=x=0:y=0:w=iw:h=ih:color=black:t=fill:enable='gte(t,1)*lt(t,4)'",
                        "-c:v",
                        "libopenh264",
                        "-b:v",
                        "500k",
                        "-g",
                        "25",
                        "-c:a",
                        "mp2"));
    }

    @Test
    void failOnBlackExitsWith4OnABlackClipAnd0OnACleanOne() {
        CliRun onBlack = CliRun.of("monitor", "--json", "--fail-on", "black", black().toString());
        assertThat(onBlack.exitCode()).isEqualTo(ExitCode.FAIL_ON_FOUND);
        assertThat(onBlack.ended()).extracting(e -> e.path("type").asText()).containsExactly("black");

        CliRun onClean = CliRun.of("monitor", "--json", "--fail-on", "black,freeze", clean().toString());
        assertThat(onClean.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(onClean.ended()).isEmpty();

        // found, but not a type that fails the run
        assertThat(CliRun.of("monitor", "--json", "--fail-on", "freeze", black().toString())
                        .exitCode())
                .isZero();
    }

    @Test
    void jsonLinesFollowTheContract() {
        CliRun run = CliRun.of("monitor", "--json", black().toString());

        assertThat(run.stdout().lines()).allMatch(l -> l.startsWith("{\"event\":"));
        JsonNode started = run.started().get(0);
        assertThat(started.path("type").asText()).isEqualTo("black");
        assertThat(started.path("id").asLong()).isEqualTo(1);
        assertThat(started.path("startedAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        JsonNode ended = run.ended().get(0);
        assertThat(ended.path("id").asLong()).isEqualTo(1);
        assertThat(ended.path("start").asDouble()).isCloseTo(1.0, within(0.081));
        assertThat(ended.path("end").asDouble()).isCloseTo(4.0, within(0.081));
        assertThat(ended.path("severity").asText()).isEqualTo("critical");
        assertThat(ended.has("details")).isTrue();
        assertThat(ended.path("endedAt").asText()).endsWith("Z");
        // times with three decimals
        assertThat(run.stdout()).containsPattern("\"start\":\\d+\\.\\d{3},");
        JsonNode summary = run.summary();
        assertThat(summary.path("frames").asLong()).isEqualTo(150);
        assertThat(summary.path("durationSec").asDouble()).isCloseTo(6.0, within(0.1));
        assertThat(summary.path("defects").path("black").asInt()).isEqualTo(1);
        assertThat(summary.path("cpuSeconds").asDouble()).isPositive();
        assertThat(summary.path("wallSeconds").asDouble()).isPositive();
    }

    @Test
    void aDefectStillActiveAtTheEndIsTruncated() {
        Path clip = TestMedia.clip(
                "cli-black-end.ts",
                List.of(
                        "-f",
                        "lavfi",
                        "-i",
                        "testsrc2=size=320x240:rate=25:duration=5",
                        "-vf",
                        "drawbox=x=0:y=0:w=iw:h=ih:color=black:t=fill:enable='gte(t,2)'",
                        "-c:v",
                        "libopenh264",
                        "-b:v",
                        "300k",
                        "-g",
                        "25"));

        CliRun run = CliRun.of("monitor", "--json", clip.toString());

        JsonNode black = run.ended().get(0);
        assertThat(black.path("type").asText()).isEqualTo("black");
        assertThat(black.path("truncated").asBoolean()).isTrue();
        assertThat(black.path("start").asDouble()).isCloseTo(2.0, within(0.081));
        assertThat(black.path("end").asDouble()).isCloseTo(5.0, within(0.1));
    }

    @Test
    void programmeTwoOfATwoProgrammeStream() {
        // programme 1: moving picture; programme 2: black from 1 s to 4 s
        Path clip = TestMedia.clip(
                "cli-two-programmes.ts",
                List.of(
                        "-f",
                        "lavfi",
                        "-i",
                        "testsrc2=size=320x240:rate=25:duration=6",
                        "-f",
                        "lavfi",
                        "-i",
                        "testsrc2=size=320x240:rate=25:duration=6,"
                                + "drawbox=x=0:y=0:w=iw:h=ih:color=black:t=fill:enable='gte(t,1)*lt(t,4)'",
                        "-f",
                        "lavfi",
                        "-i",
                        "sine=frequency=440:sample_rate=48000:duration=6",
                        "-map",
                        "0:v",
                        "-map",
                        "2:a",
                        "-map",
                        "1:v",
                        "-map",
                        "2:a",
                        "-c:v",
                        "libopenh264",
                        "-b:v",
                        "300k",
                        "-g",
                        "25",
                        "-c:a",
                        "mp2",
                        "-program",
                        "program_num=1:title=one:st=0:st=1",
                        "-program",
                        "program_num=2:title=two:st=2:st=3"));

        CliRun first = CliRun.of("monitor", "--json", clip.toString());
        assertThat(first.exitCode()).isZero();
        assertThat(first.ended()).isEmpty();

        CliRun second = CliRun.of("monitor", "--json", "--program", "2", clip.toString());
        assertThat(second.exitCode()).isZero();
        assertThat(second.ended()).extracting(e -> e.path("type").asText()).containsExactly("black");
        assertThat(second.ended().get(0).path("start").asDouble()).isCloseTo(1.0, within(0.081));

        CliRun third = CliRun.of("monitor", "--json", "--program", "3", clip.toString());
        assertThat(third.exitCode()).isEqualTo(ExitCode.INPUT_NEVER_OPENED);
        assertThat(third.summary().path("error").asText()).contains("programme 3");
    }

    /**
     * Eight seconds of picture and one audio track made by {@code filter} from three sources: a 440 Hz tone [1:a], a
     * 660 Hz tone [2:a] and digital silence [3:a] (mono each); its output is [a], and [v] if it changes the picture.
     */
    private static Path audioClip(String name, String filter) {
        return TestMedia.clip(
                name,
                List.of(
                        "-f",
                        "lavfi",
                        "-i",
                        "testsrc2=size=320x240:rate=25:duration=8",
                        "-f",
                        "lavfi",
                        "-i",
                        "sine=frequency=440:sample_rate=48000:duration=8",
                        "-f",
                        "lavfi",
                        "-i",
                        "sine=frequency=660:sample_rate=48000:duration=8",
                        "-f",
                        "lavfi",
                        "-i",
                        "anullsrc=r=48000:cl=mono:d=8",
                        "-filter_complex",
                        filter,
                        "-map",
                        filter.contains("[v]") ? "[v]" : "0:v",
                        "-map",
                        "[a]",
                        "-c:v",
                        "libopenh264",
                        "-b:v",
                        "300k",
                        "-g",
                        "25",
                        "-c:a",
                        "aac",
                        "-b:a",
                        "256k"));
    }

    @Test
    void oneMutedChannelOfAStereoTrackIsSilenceWithItsChannel() {
        Path clip = audioClip(
                "cli-stereo-right-muted.ts",
                "[2:a]volume=enable='between(t,2,6)':volume=0[r];[1:a][r]join=inputs=2:channel_layout=stereo[a]");

        CliRun run = CliRun.of("monitor", "--json", clip.toString());

        assertThat(run.ended()).extracting(e -> e.path("type").asText()).containsExactly("silence");
        JsonNode silence = run.ended().get(0);
        assertThat(silence.path("details").path("channels").toString()).isEqualTo("[2]");
        assertThat(silence.path("start").asDouble()).isCloseTo(2.0, within(0.06));
        assertThat(silence.path("end").asDouble()).isCloseTo(6.0, within(0.06));
    }

    /**
     * A 5.1 track of front (left, right, centre) sound whose LFE and surrounds are silent throughout, as in much
     * ordinary programme; front left lost from 2 s to 6 s when {@code lost}.
     */
    private static Path fiveOne(String name, boolean lost) {
        String front = lost ? "[1:a]volume=enable='between(t,2,6)':volume=0[fl];" : "[1:a]anull[fl];";
        return audioClip(
                name,
                front
                        + "[3:a]asplit=3[lfe][bl][br];[2:a]asplit=2[fr][fc];"
                        + "[fl][fr][fc][lfe][bl][br]join=inputs=6:channel_layout=5.1"
                        + ":map=0.0-FL|1.0-FR|2.0-FC|3.0-LFE|4.0-BL|5.0-BR[a]");
    }

    @Test
    void silentLfeAndSurroundChannelsOfAPlayingTrackAreNoSilence() {
        CliRun run = CliRun.of(
                "monitor", "--json", fiveOne("cli-5.1-front-only.ts", false).toString());

        assertThat(run.ended()).extracting(e -> e.path("type").asText()).doesNotContain("silence");
    }

    @Test
    void aLostFrontChannelOfA51TrackIsSilenceWithItsChannel() {
        CliRun run = CliRun.of(
                "monitor", "--json", fiveOne("cli-5.1-front-left-lost.ts", true).toString());

        assertThat(run.ended()).extracting(e -> e.path("type").asText()).containsExactly("silence");
        JsonNode silence = run.ended().get(0);
        assertThat(silence.path("details").path("channels").toString()).isEqualTo("[1]");
        assertThat(silence.path("start").asDouble()).isCloseTo(2.0, within(0.06));
        assertThat(silence.path("end").asDouble()).isCloseTo(6.0, within(0.06));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ts", "mp4"})
    void soundMissingWhileThePicturesPlayOnIsSilence(String container) {
        // the track's blocks from 3 s to 7 s are left out, their timestamps kept: no sound at all, not a silent one
        Path clip = audioClip("cli-sound-missing." + container, "[1:a]aselect='not(between(t,3,7))'[a]");

        CliRun run = CliRun.of("monitor", "--json", clip.toString());

        List<JsonNode> silences = run.ended().stream()
                .filter(e -> e.path("type").asText().equals("silence"))
                .toList();
        assertThat(silences).hasSize(1);
        JsonNode silence = silences.get(0);
        assertThat(silence.path("details").path("reason").asText()).isEqualTo("missing");
        assertThat(silence.path("start").asDouble()).isCloseTo(3.0, within(0.06));
        assertThat(silence.path("end").asDouble()).isCloseTo(7.0, within(0.06));
    }

    @Test
    void aJumpOfEveryTimestampIsNoSilence() {
        // sound and pictures both jump 4 s forward at 5 s, as at a splice: nothing is missing from either
        Path clip = audioClip(
                "cli-timestamps-jump.ts", "[0:v]setpts='PTS+gte(T,5)*4/TB'[v];[1:a]asetpts='PTS+gte(T,5)*4/TB'[a]");

        CliRun run = CliRun.of("monitor", "--json", clip.toString());

        assertThat(run.ended()).extracting(e -> e.path("type").asText()).doesNotContain("silence");
    }

    @Test
    void audioTrackPicksTracksOfTheProgramme() {
        // track 1 plays throughout; track 2 is silent from 1 s to 5 s
        Path clip = TestMedia.clip(
                "cli-two-tracks.ts",
                List.of(
                        "-f",
                        "lavfi",
                        "-i",
                        "testsrc2=size=320x240:rate=25:duration=6",
                        "-f",
                        "lavfi",
                        "-i",
                        "sine=frequency=440:sample_rate=48000:duration=6",
                        "-f",
                        "lavfi",
                        "-i",
                        "sine=frequency=660:sample_rate=48000:duration=6",
                        "-filter_complex",
                        "[2:a]volume=enable='between(t,1,5)':volume=0[b]",
                        "-map",
                        "0:v",
                        "-map",
                        "1:a",
                        "-map",
                        "[b]",
                        "-c:v",
                        "libopenh264",
                        "-b:v",
                        "300k",
                        "-g",
                        "25",
                        "-c:a",
                        "mp2"));

        CliRun all = CliRun.of("monitor", "--json", clip.toString());
        assertThat(all.ended())
                .extracting(e -> e.path("details").path("track").asInt())
                .containsExactly(2);

        CliRun first = CliRun.of("monitor", "--json", "--audio-track", "1", clip.toString());
        assertThat(first.ended()).isEmpty();

        CliRun second = CliRun.of("monitor", "--json", "--audio-track", "2", clip.toString());
        assertThat(second.ended()).extracting(e -> e.path("type").asText()).containsExactly("silence");
        assertThat(second.ended())
                .extracting(e -> e.path("details").path("track").asInt())
                .as("a track keeps its number in the programme")
                .containsExactly(2);
    }

    @Test
    void evidenceDirGetsAJpegOfTheFirstFrameOfEveryVideoDefect(@TempDir Path dir) throws IOException {
        CliRun run = CliRun.of("monitor", "--json", "--evidence-dir", dir.toString(), black().toString());

        assertThat(run.exitCode()).isZero();
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(f -> f.toString().endsWith(".jpg")).toList(); // beside the clips
        }
        assertThat(files).hasSize(1);
        assertThat(files.get(0).getFileName().toString())
                .startsWith("0001-black-")
                .endsWith(".jpg");
        byte[] jpeg = Files.readAllBytes(files.get(0));
        assertThat(jpeg.length).isGreaterThan(100);
        assertThat(jpeg[0] & 0xff).isEqualTo(0xFF);
        assertThat(jpeg[1] & 0xff).isEqualTo(0xD8);
    }

    @Test
    void exitCodesForInputsThatNeverOpenAndBadArguments(@TempDir Path dir) {
        CliRun missing =
                CliRun.of("monitor", "--json", dir.resolve("missing.ts").toString());
        assertThat(missing.exitCode()).isEqualTo(ExitCode.INPUT_NEVER_OPENED);
        assertThat(missing.summary().path("frames").asLong()).isZero();

        assertThat(CliRun.of("monitor", "--json", "--fail-on", "blak", clean().toString())
                        .exitCode())
                .isEqualTo(ExitCode.BAD_ARGUMENTS);
        assertThat(CliRun.of("monitor", "--no-such-option", clean().toString()).exitCode())
                .isEqualTo(ExitCode.BAD_ARGUMENTS);
        assertThat(CliRun.of("monitor", "gopher://example.com/x").exitCode()).isEqualTo(ExitCode.BAD_ARGUMENTS);
        assertThat(CliRun.of("monitor").exitCode()).isEqualTo(ExitCode.BAD_ARGUMENTS);
    }

    @Test
    void disabledDetectorsDoNotRunAndThresholdsApply() {
        // without the black detector, nothing holds off freeze: a black picture is frozen too
        assertThat(CliRun.of("monitor", "--json", "--disable", "black", black().toString())
                        .ended())
                .extracting(e -> e.path("type").asText())
                .containsExactly("freeze");
        assertThat(CliRun.of("monitor", "--json", "--disable", "black,freeze", black().toString())
                        .ended())
                .isEmpty();
        // black lasts 3 s: a 4 s minimum never raises it
        assertThat(CliRun.of("monitor", "--json", "--black-min-duration", "4", black().toString())
                        .ended())
                .isEmpty();
    }

    @Test
    void humanOutputEndsWithASummaryTable() {
        CliRun run = CliRun.of("monitor", black().toString());
        assertThat(run.exitCode()).isZero();
        assertThat(run.stdout()).contains("black").contains("Monitored").containsPattern("1\\s+black\\s+1\\.0");
    }
}
