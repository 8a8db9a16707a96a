package dev.monoscope.worker.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link SourceUrl#redact} over generated text (seeded: a failure is reproducible): URLs of every scheme and shape
 * (user-info or not, IPv4, IPv6, names, ports, paths, queries, fragments), one to three of them in a message, with
 * credentials in the user-info and in parameters of any case. No credential survives; hosts and harmless parameters
 * do.
 */
class RedactionPropertyTest {

    private static final String[] SCHEMES = {"http", "https", "rtmp", "rtmps", "srt", "rtsp", "udp", "rtp", "HTTPS"};
    private static final String[] SECRET_PARAMS = {
        "access_token",
        "X-Amz-Signature",
        "X-Amz-Credential",
        "X-Amz-Security-Token",
        "hdnts",
        "hdnea",
        "sig",
        "signature",
        "Signature",
        "apikey",
        "api_key",
        "token",
        "key",
        "password",
        "passphrase",
        "pwd",
        "secret",
        "client_secret",
        "Policy",
        "Key-Pair-Id",
        "stream_key",
        "x-api-key",
        "wmsAuthSign",
        "__token__",
        "jwt"
    };
    private static final String[] HARMLESS_PARAMS = {"latency", "bitrate", "lang", "start", "mode", "variant"};
    private static final String UNRESERVED = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~";
    private static final String SUB_DELIMS = "!$&'()*+,;=";

    @Test
    void noCredentialSurvivesInAnyUrlShape() {
        Random random = new Random(20261206L);
        for (int i = 0; i < 5_000; i++) {
            List<String> secrets = new ArrayList<>();
            List<String> kept = new ArrayList<>();
            StringBuilder text = new StringBuilder(random.nextBoolean() ? "cannot open " : "");
            int urls = 1 + random.nextInt(3);
            for (int u = 0; u < urls; u++) {
                text.append(url(random, secrets, kept, i));
                text.append(random.nextBoolean() ? ": Input/output error (" : " and ");
            }
            String redacted = SourceUrl.redact(text.toString());
            for (String secret : secrets) {
                assertThat(redacted).as("case %d: %s", i, text).doesNotContain(secret);
            }
            for (String part : kept) {
                assertThat(redacted).as("case %d: %s", i, text).contains(part);
            }
        }
    }

    private static String url(Random random, List<String> secrets, List<String> kept, int n) {
        StringBuilder url = new StringBuilder(SCHEMES[random.nextInt(SCHEMES.length)]).append("://");
        if (random.nextInt(3) > 0) {
            String user = "USR" + n + word(random, UNRESERVED + "%", 1 + random.nextInt(8));
            url.append(user);
            secrets.add(user);
            if (random.nextBoolean()) {
                String password = "PWD" + n + word(random, UNRESERVED + SUB_DELIMS + ":%", random.nextInt(12));
                url.append(':').append(password);
                secrets.add(password);
            }
            url.append('@');
        }
        String host = switch (random.nextInt(3)) {
            case 0 -> "10." + random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256);
            case 1 -> "[2001:db8::" + Integer.toHexString(random.nextInt(0xffff)) + "]";
            default -> "cdn" + random.nextInt(1000) + ".example.net";
        };
        url.append(host);
        kept.add(host);
        if (random.nextBoolean()) {
            url.append(':').append(1 + random.nextInt(65535));
        }
        for (int s = random.nextInt(4); s > 0; s--) {
            url.append('/').append(word(random, UNRESERVED + "@:", 1 + random.nextInt(10)));
        }
        char separator = '?';
        for (int p = random.nextInt(5); p > 0; p--) {
            url.append(separator);
            separator = random.nextInt(4) == 0 ? ';' : '&';
            if (random.nextBoolean()) {
                String name = SECRET_PARAMS[random.nextInt(SECRET_PARAMS.length)];
                name = random.nextBoolean() ? name : name.toUpperCase(java.util.Locale.ROOT);
                String value = "SECRET" + n + word(random, UNRESERVED + "%+/=", 1 + random.nextInt(20));
                url.append(name).append('=').append(value);
                secrets.add(value);
            } else {
                String param = HARMLESS_PARAMS[random.nextInt(HARMLESS_PARAMS.length)] + "=" + random.nextInt(1000);
                url.append(param);
                kept.add(param);
            }
        }
        if (random.nextInt(4) == 0) {
            String value = "SECRET" + n + "frag" + random.nextInt(1000);
            url.append("#access_token=").append(value);
            secrets.add(value);
        }
        return url.toString();
    }

    private static String word(Random random, String alphabet, int length) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < length; i++) {
            b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return b.toString();
    }
}
