package dev.monoscope.worker.source;

import java.net.URI;
import java.util.Locale;

/**
 * Where a request goes, as the web's same-origin rule sees it: scheme, host and port (the scheme's default port when
 * the URL names none). Credentials given for a source are sent only to the source's own origin.
 */
public record Origin(String scheme, String host, int port) {

    /** The origin of {@code uri}; a URL without a host (a path, {@code file:}) has none: null. */
    public static Origin of(URI uri) {
        if (uri == null || uri.getScheme() == null || uri.getHost() == null) {
            return null;
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort() >= 0 ? uri.getPort() : defaultPort(scheme);
        return new Origin(scheme, uri.getHost().toLowerCase(Locale.ROOT), port);
    }

    /** The origin of a URL string, or null when it does not parse or has no host. */
    public static Origin of(String url) {
        try {
            return of(URI.create(url));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static int defaultPort(String scheme) {
        return switch (scheme) {
            case "http" -> 80;
            case "https" -> 443;
            case "rtmp" -> 1935;
            case "rtmps" -> 443;
            case "rtsp" -> 554;
            case "rtsps" -> 322;
            default -> -1;
        };
    }
}
