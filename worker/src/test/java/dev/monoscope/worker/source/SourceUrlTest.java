package dev.monoscope.worker.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Tier 1: credentials never shown, protocol allow-lists per scheme, timeouts on every input, files only when allowed. */
@Timeout(10)
class SourceUrlTest {

    @Test
    void credentialsFromTheEnvironmentGoToFfmpegOnly() {
        SourceUrl url = SourceUrl.parse("https://cdn.example.com/live/index.m3u8", false, "ops", "s3cr:t@");
        assertThat(url.ffmpegUrl()).isEqualTo("https://ops:s3cr%3At%40@cdn.example.com/live/index.m3u8");
        assertThat(url.toString())
                .isEqualTo("https://cdn.example.com/live/index.m3u8")
                .doesNotContain("s3cr");
        assertThat(url.looksLikeHls()).isTrue();
    }

    @Test
    void redactStripsUserInfoAndTokenParameters() {
        assertThat(SourceUrl.redact("rtmp://user:pw@host:1935/app/key")).isEqualTo("rtmp://host:1935/app/key");
        assertThat(SourceUrl.redact("srt://host:9000?passphrase=x&latency=200&password=abc"))
                .isEqualTo("srt://host:9000?passphrase=***&latency=200&password=***");
        assertThat(SourceUrl.redact("http://host/a@b")).isEqualTo("http://host/a@b");
    }

    @Test
    void httpCanNeverOpenLocalFilesAndEveryInputHasATimeout() {
        SourceUrl http = SourceUrl.parse("http://127.0.0.1:8080/stream.m3u8", false, null, null);
        assertThat(http.ffmpegOptions(3).get("protocol_whitelist"))
                .doesNotContain("file")
                .contains("http");
        assertThat(http.ffmpegOptions(3)).containsEntry("rw_timeout", "3000000").containsKey("m3u8_hold_counters");
        SourceUrl udp = SourceUrl.parse("udp://239.0.0.1:5000", false, null, null);
        assertThat(udp.ffmpegOptions(2.5))
                .containsEntry("timeout", "2500000")
                .containsEntry("protocol_whitelist", "udp");
        for (String u : new String[] {"rtp://h:1", "srt://h:1", "rtmp://h/a", "rtsp://h/a"}) {
            SourceUrl s = SourceUrl.parse(u, false, null, null);
            assertThat(s.ffmpegOptions(3).get("protocol_whitelist")).doesNotContain("file");
            assertThat(s.ffmpegOptions(3).keySet()).containsAnyOf("timeout", "rw_timeout");
        }
    }

    @Test
    void anSrtSourcesPasswordIsItsPassphraseForFfmpegOnly() {
        SourceUrl srt = SourceUrl.parse("srt://h:9000?mode=listener", false, "ignored", "a-secret-passphrase");
        assertThat(srt.ffmpegOptions(3)).containsEntry("passphrase", "a-secret-passphrase");
        assertThat(srt.ffmpegUrl()).isEqualTo("srt://h:9000?mode=listener").doesNotContain("ignored");
        assertThat(srt.toString()).doesNotContain("a-secret-passphrase");
        assertThat(SourceUrl.parse("srt://h:9000", false, null, null).ffmpegOptions(3))
                .doesNotContainKey("passphrase");
        assertThatThrownBy(() -> SourceUrl.parse("srt://h:9000", false, null, "short"))
                .hasMessageContaining("10 to 79 characters")
                .hasMessageNotContaining("short");
    }

    @Test
    void localFilesOnlyWhenAllowedAndUnknownSchemesNever() {
        assertThat(SourceUrl.parse("/tmp/clip.ts", true, null, null).scheme()).isEqualTo("file");
        assertThat(SourceUrl.parse("/tmp/clip.ts", true, null, null).ffmpegUrl())
                .isEqualTo("file:/tmp/clip.ts");
        assertThatThrownBy(() -> SourceUrl.parse("file:///etc/passwd", false, null, null))
                .hasMessageContaining("local files");
        assertThatThrownBy(() -> SourceUrl.parse("gopher://host/x", true, null, null))
                .hasMessageContaining("gopher");
    }
}
