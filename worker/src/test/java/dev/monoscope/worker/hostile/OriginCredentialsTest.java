package dev.monoscope.worker.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.monoscope.worker.live.DefectLog;
import dev.monoscope.worker.live.LiveMonitor;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Credentials stay with their origin: a master playlist behind basic authentication whose variant lives on another
 * origin (another port of the same host is another origin), reached directly and through a redirect. The worker's
 * own requests and FFmpeg's alike send the credentials to the source's origin only.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OriginCredentialsTest {

    private static final String EXPECTED =
            "Basic " + java.util.Base64.getEncoder().encodeToString("viewer:s3cret".getBytes());

    @Test
    void aVariantOnAnotherOriginNeverSeesTheCredentials() throws Exception {
        Path segment = HostileOrigin.segment();
        try (HostileOrigin source = new HostileOrigin();
                HostileOrigin other = new HostileOrigin()) {
            String variant = other.url("/variant.m3u8");
            String master = "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=800000\n" + variant + "\n";
            source.route("/master.m3u8", authenticated(HostileOrigin.text(master)))
                    .route("/moved.m3u8", authenticated(HostileOrigin.redirect(variant)));
            other.route("/variant.m3u8", HostileOrigin.text(HostileOrigin.livePlaylist("s0.ts", "s1.ts", "s2.ts")))
                    .route("/s0.ts", HostileOrigin.file(segment))
                    .route("/s1.ts", HostileOrigin.file(segment))
                    .route("/s2.ts", HostileOrigin.file(segment));

            for (String path : new String[] {"/master.m3u8", "/moved.m3u8"}) {
                String url = source.url(path).replace("http://", "http://viewer:s3cret@");
                try (LiveMonitor monitor = LiveMonitor.start(url, new DefectLog())) {
                    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                    while (monitor.monitor().summary().videoFrames() < 25 && System.nanoTime() < end) {
                        Thread.sleep(50); // the poll interval, not a condition
                    }
                    assertThat(monitor.monitor().summary().videoFrames())
                            .as(path + ": pictures decoded")
                            .isGreaterThanOrEqualTo(25);
                }
            }
            assertThat(source.requests())
                    .as("the source's origin got the credentials")
                    .anySatisfy(r -> assertThat(r.authorization()).isEqualTo(EXPECTED));
            assertThat(other.requests()).as("requests to the other origin").isNotEmpty();
            assertThat(other.requests())
                    .as("the other origin never got credentials")
                    .allSatisfy(r -> assertThat(r.authorization()).isNull());
        }
    }

    /** Answers 401 with a basic challenge unless the request carries the expected credentials. */
    private static HostileOrigin.Response authenticated(HostileOrigin.Response inner) {
        return (ex, origin) -> {
            if (!EXPECTED.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                ex.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"test\"");
                ex.sendResponseHeaders(401, -1);
                return;
            }
            inner.send(ex, origin);
        };
    }
}
