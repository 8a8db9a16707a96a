package dev.monoscope.worker.captions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.monoscope.worker.cli.CliRun;
import dev.monoscope.worker.decode.BundledFfmpeg;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The caption renditions of an HLS master playlist served on loopback, in the summary's captions. */
class HlsRenditionsTest {

    private static final String MASTER = """
            #EXTM3U
            #EXT-X-MEDIA:TYPE=CLOSED-CAPTIONS,GROUP-ID="cc",LANGUAGE="en",NAME="English",INSTREAM-ID="CC1"
            #EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",LANGUAGE="fr",NAME="Francais",URI="subs.m3u8"
            #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",LANGUAGE="en",NAME="Main"
            #EXT-X-STREAM-INF:BANDWIDTH=400000,CLOSED-CAPTIONS="cc",SUBTITLES="subs"
            media.m3u8
            """;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void theMasterPlaylistsCaptionRenditionsAreListed(@TempDir Path dir) throws Exception {
        hls(dir);
        Files.writeString(dir.resolve("master.m3u8"), MASTER);
        Files.writeString(dir.resolve("subs.m3u8"), """
                #EXTM3U
                #EXT-X-TARGETDURATION:3
                #EXT-X-PLAYLIST-TYPE:VOD
                #EXTINF:3.0,
                subs.vtt
                #EXT-X-ENDLIST
                """);
        Files.writeString(dir.resolve("subs.vtt"), "WEBVTT\n\n00:00.000 --> 00:02.000\nBonjour\n");
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        http.createContext("/", ex -> {
            Path file = dir.resolve(ex.getRequestURI().getPath().substring(1)).normalize();
            try (ex) {
                if (!file.startsWith(dir) || !Files.isRegularFile(file)) {
                    ex.sendResponseHeaders(404, -1);
                    return;
                }
                byte[] body = Files.readAllBytes(file);
                ex.sendResponseHeaders(200, body.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        http.start();
        try {
            String url = "http://127.0.0.1:" + http.getAddress().getPort() + "/master.m3u8";
            CliRun run = CliRun.of("monitor", "--json", url);

            assertThat(run.exitCode()).as(run.stderr()).isZero();
            List<String> renditions = new ArrayList<>();
            for (JsonNode c : run.summary().path("captions")) {
                assertThat(c.path("kind").asText()).isEqualTo("hls_rendition");
                renditions.add(
                        c.path("rendition").asText() + " " + c.path("language").asText() + " "
                                + c.path("instreamId").asText(""));
            }
            assertThat(renditions).containsExactly("CLOSED-CAPTIONS en CC1", "SUBTITLES fr ");
        } finally {
            http.stop(0);
        }
    }

    /** A 3 s VOD media playlist of 1 s segments, made by the bundled ffmpeg. */
    private static void hls(Path dir) throws IOException, InterruptedException {
        List<String> cmd = List.of(
                BundledFfmpeg.executable().toString(),
                "-hide_banner",
                "-loglevel",
                "error",
                "-nostdin",
                "-y",
                "-f",
                "lavfi",
                "-i",
                "testsrc2=size=160x120:rate=25:duration=3",
                "-c:v",
                "libopenh264",
                "-g",
                "25",
                "-f",
                "hls",
                "-hls_time",
                "1",
                "-hls_playlist_type",
                "vod",
                dir.resolve("media.m3u8").toString());
        Process p = BundledFfmpeg.processBuilder(cmd).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue())
                .as(new String(p.getInputStream().readAllBytes()))
                .isZero();
    }
}
