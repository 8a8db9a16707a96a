package dev.monoscope.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The demo clip carries its defects where DemoStream says, and is served live to several clients at once. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DemoStreamTest {

    static final Path CACHE = Path.of("target", "media");

    @Test
    void theClipIsBlackFrozenAndSilentWhereDeclared() throws Exception {
        Path clip = DemoStream.encode(CACHE, 320, 180);
        Process p = FfmpegExecutable.command(List.of(
                        "-hide_banner",
                        "-nostdin",
                        "-i",
                        clip.toString(),
                        "-vf",
                        "blackdetect=d=2,freezedetect=d=2",
                        "-af",
                        "silencedetect=d=2",
                        "-f",
                        "null",
                        "-"))
                .redirectErrorStream(true)
                .start();
        String log = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();

        assertThat(starts(log, "black_start:"))
                .hasSize(1)
                .allSatisfy(t -> assertThat(t).isCloseTo(12, within()));
        // black is also a frozen picture: freezedetect sees both
        assertThat(starts(log, "freeze_start: ")).hasSize(2);
        assertThat(starts(log, "freeze_start: ").get(1)).isCloseTo(28, within());
        assertThat(starts(log, "silence_start: "))
                .hasSize(1)
                .allSatisfy(t -> assertThat(t).isCloseTo(44, within()));
    }

    @Test
    void servesTheLoopLiveToEveryClient() throws Exception {
        Path clip = DemoStream.encode(CACHE, 320, 180);
        try (DemoStream stream = DemoStream.start(clip, 0)) {
            HttpClient http = HttpClient.newHttpClient();
            for (int client = 0; client < 2; client++) {
                HttpResponse<InputStream> response = http.send(
                        HttpRequest.newBuilder(URI.create(stream.url())).build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                assertThat(response.statusCode()).isEqualTo(200);
                try (InputStream in = response.body()) {
                    byte[] packets = in.readNBytes(188 * 100);
                    assertThat(packets).hasSize(188 * 100);
                    for (int i = 0; i < packets.length; i += 188) {
                        assertThat(packets[i])
                                .as("sync byte of packet %d", i / 188)
                                .isEqualTo((byte) 0x47);
                    }
                }
            }
            assertThat(stream.position()).isLessThan(DemoStream.CYCLE);
        }
    }

    private static List<Double> starts(String log, String key) {
        List<Double> times = new ArrayList<>();
        Matcher m = Pattern.compile(Pattern.quote(key) + "([0-9.]+)").matcher(log);
        while (m.find()) {
            times.add(Double.parseDouble(m.group(1)));
        }
        return times;
    }

    private static org.assertj.core.data.Offset<Double> within() {
        return org.assertj.core.data.Offset.offset(0.5);
    }
}
