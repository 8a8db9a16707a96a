package dev.monoscope.worker.source;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A stream's address as FFmpeg opens it: the scheme decides the protocol allow-list and the timeouts, credentials
 * from the environment are put into the URL only for FFmpeg, and {@link #toString()} never shows them.
 */
public final class SourceUrl {

    private final String scheme;
    private final String ffmpegUrl;
    private final String redacted;
    private final TlsSettings tls;
    /** SRT: the passphrase that encrypts the stream (the source password), or null; never printed. */
    private final String srtPassphrase;

    private SourceUrl(String scheme, String ffmpegUrl, String redacted, TlsSettings tls, String srtPassphrase) {
        this.scheme = scheme;
        this.ffmpegUrl = ffmpegUrl;
        this.redacted = redacted;
        this.tls = tls;
        this.srtPassphrase = srtPassphrase;
    }

    /** As {@link #parse(String, boolean, String, String, TlsSettings)}, with TLS verified by default. */
    public static SourceUrl parse(String input, boolean allowLocalFiles, String username, String password) {
        return parse(input, allowLocalFiles, username, password, TlsSettings.DEFAULT);
    }

    /**
     * Parses what a user gave: a URL or, when {@code allowLocalFiles}, a path or {@code file:} URL.
     *
     * @throws IllegalArgumentException for a scheme that is not allowed, or a file when files are not allowed
     */
    public static SourceUrl parse(
            String input, boolean allowLocalFiles, String username, String password, TlsSettings tls) {
        if (input == null || input.isBlank()) {
            throw new IllegalArgumentException("no source URL given");
        }
        int colon = input.indexOf("://");
        String scheme = colon > 0 ? input.substring(0, colon).toLowerCase(Locale.ROOT) : "file";
        if (scheme.equals("file")) {
            if (!allowLocalFiles) {
                throw new IllegalArgumentException(
                        "local files are allowed only on the command line: " + redact(input));
            }
            Path path = colon > 0 ? Path.of(URI.create(input)) : Path.of(input);
            String abs = path.toAbsolutePath().toString();
            return new SourceUrl("file", "file:" + abs, abs, tls, null);
        }
        if (!SCHEMES.containsKey(scheme)) {
            throw new IllegalArgumentException(
                    "unsupported URL scheme '" + scheme + "' (allowed: " + String.join(", ", SCHEMES.keySet()) + ")");
        }
        if (scheme.equals("srt")) { // caller or listener (?mode=listener); the password is the SRT passphrase
            return new SourceUrl(scheme, input, redact(input), tls, srtPassphrase(password));
        }
        String url = input;
        if (username != null && !username.isEmpty()) {
            url = withCredentials(input, username, password);
        }
        return new SourceUrl(scheme, url, redact(input), tls, null);
    }

    /** The user and password of a URL's raw user info ({@code user:password}, percent-encoded); "" when absent. */
    static String[] credentials(String rawUserInfo) {
        String[] info = rawUserInfo.split(":", 2);
        return new String[] {
            URLDecoder.decode(info[0], StandardCharsets.UTF_8),
            info.length > 1 ? URLDecoder.decode(info[1], StandardCharsets.UTF_8) : ""
        };
    }

    /** The value of an HTTP Basic {@code Authorization} header. */
    static String basicAuthorization(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The text with the user-info of every URL in it removed and credential-bearing parameters masked: safe to log
     * and report ({@link Redaction}).
     */
    public static String redact(String text) {
        return Redaction.redact(text);
    }

    private static String withCredentials(String url, String username, String password) {
        try {
            URI uri = new URI(url);
            String info = enc(username) + (password == null ? "" : ":" + enc(password));
            int hostStart = url.indexOf("://") + 3;
            String rest = url.substring(hostStart);
            int at = rest.indexOf('@');
            int slash = rest.indexOf('/');
            if (at >= 0 && (slash < 0 || at < slash)) {
                rest = rest.substring(at + 1);
            }
            if (uri.getScheme() == null) {
                throw new URISyntaxException(url, "no scheme");
            }
            return url.substring(0, hostStart) + info + "@" + rest;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a valid URL: " + redact(url));
        }
    }

    /** The SRT passphrase, checked (SRT takes 10 to 79 characters); null for none. */
    private static String srtPassphrase(String password) {
        if (password == null || password.isEmpty()) {
            return null;
        }
        if (password.length() < 10 || password.length() > 79) {
            throw new IllegalArgumentException("an SRT passphrase (the source password) must be 10 to 79 characters, "
                    + "it has " + password.length());
        }
        return password;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    public String scheme() {
        return scheme;
    }

    /** How this source's TLS certificate is checked. */
    public TlsSettings tls() {
        return tls;
    }

    /** A local file: finite, whatever FFmpeg can tell of its duration. */
    public boolean isLocalFile() {
        return scheme.equals("file");
    }

    /** What FFmpeg opens; may carry credentials: never print it. */
    public String ffmpegUrl() {
        return ffmpegUrl;
    }

    public boolean looksLikeHls() {
        String path = redacted.toLowerCase(Locale.ROOT);
        int q = path.indexOf('?');
        if (q >= 0) {
            path = path.substring(0, q);
        }
        return path.endsWith(".m3u8") || path.endsWith(".m3u");
    }

    /**
     * FFmpeg options for this input: an explicit protocol allow-list (an HLS playlist fetched over HTTP can never
     * open {@code file:}), and timeouts so that a stalled input never blocks forever.
     */
    public Map<String, String> ffmpegOptions(double timeoutSeconds) {
        return ffmpegOptions(timeoutSeconds, Double.NaN);
    }

    /**
     * As {@link #ffmpegOptions(double)}, for a live HLS playlist with this target duration: the playlist ends the
     * input once it has not grown for about the timeout (FFmpeg reloads an unchanged playlist every half target
     * duration).
     */
    public Map<String, String> ffmpegOptions(double timeoutSeconds, double hlsTargetSeconds) {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("protocol_whitelist", SCHEMES.get(scheme));
        if (SCHEMES.get(scheme).contains("tls")) {
            o.putAll(tls.ffmpegOptions());
        }
        long micros = Math.round(timeoutSeconds * 1_000_000);
        switch (scheme) {
            case "http", "https" -> {
                o.put("rw_timeout", Long.toString(micros));
                o.put("reconnect", "1");
                o.put("reconnect_streamed", "1");
                o.put("reconnect_on_network_error", "1");
                o.put("reconnect_delay_max", Long.toString(Math.max(1, Math.round(timeoutSeconds))));
                // live HLS: a playlist that stops growing ends the input after this many reloads
                int holds = hlsTargetSeconds > 0 ? (int) Math.ceil(timeoutSeconds / (hlsTargetSeconds / 2)) : 10;
                o.put("m3u8_hold_counters", Integer.toString(Math.max(2, holds)));
                o.put("seg_max_retry", "2");
            }
            case "udp", "rtp" -> {
                o.put("timeout", Long.toString(micros));
                o.put("fifo_size", "1000000");
                o.put("overrun_nonfatal", "1");
            }
            case "srt" -> {
                o.put("timeout", Long.toString(micros));
                if (srtPassphrase != null) {
                    o.put("passphrase", srtPassphrase);
                }
            }
            case "rtmp", "rtmps" -> o.put("rw_timeout", Long.toString(micros));
            case "rtsp", "rtsps" -> {
                o.put("timeout", Long.toString(micros));
                o.put("rtsp_transport", "tcp");
            }
            default -> o.put("rw_timeout", Long.toString(micros));
        }
        return o;
    }

    /** The protocols FFmpeg may use for each scheme (nested protocols included, never file). */
    private static final Map<String, String> SCHEMES = new LinkedHashMap<>();

    static {
        SCHEMES.put("file", "file,pipe");
        SCHEMES.put("http", "http,https,tcp,tls,crypto,httpproxy");
        SCHEMES.put("https", "http,https,tcp,tls,crypto,httpproxy");
        SCHEMES.put("udp", "udp");
        SCHEMES.put("rtp", "rtp,udp");
        SCHEMES.put("srt", "srt,udp");
        SCHEMES.put("rtmp", "rtmp,tcp");
        SCHEMES.put("rtmps", "rtmps,rtmp,tcp,tls");
        SCHEMES.put("rtsp", "rtsp,rtp,udp,tcp,tls");
        SCHEMES.put("rtsps", "rtsps,rtsp,rtp,udp,tcp,tls");
    }

    @Override
    public String toString() {
        return redacted;
    }
}
