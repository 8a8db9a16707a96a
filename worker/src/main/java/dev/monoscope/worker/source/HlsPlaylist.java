package dev.monoscope.worker.source;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * Reads an HLS media playlist (a master playlist is followed to its first variant): its target duration, so that a
 * live stream's signal-loss timeout covers the bursts in which its segments arrive (at least 1.5 × the target
 * duration), and its last segment, so that a playlist that stopped growing is not replayed as if it were live.
 *
 * @param targetDuration seconds
 * @param live           no #EXT-X-ENDLIST (and not a VOD playlist)
 * @param lastSegment    the last segment's URI: unchanged between two reads means the playlist did not grow
 */
public record HlsPlaylist(double targetDuration, boolean live, String lastSegment) {

    private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(5);

    /**
     * Reads the playlist at {@code url}; empty when it cannot be read. Credentials in the URL's user-info are sent as
     * HTTP basic authentication.
     */
    public static Optional<HlsPlaylist> read(String url) {
        try {
            HttpClient client = HttpClient.newBuilder()
                    .connectTimeout(FETCH_TIMEOUT)
                    .followRedirects(HttpClient.Redirect.NORMAL)
                    .build();
            String username = null;
            String password = null;
            int hostStart = url.indexOf("://") + 3;
            int pathStart = url.indexOf('/', hostStart);
            int at = url.lastIndexOf('@', pathStart < 0 ? url.length() - 1 : pathStart);
            if (at >= hostStart) {
                String[] credentials = SourceUrl.credentials(url.substring(hostStart, at));
                username = credentials[0];
                password = credentials[1];
                url = url.substring(0, hostStart) + url.substring(at + 1);
            }
            URI uri = URI.create(url);
            for (int hops = 0; hops < 3; hops++) {
                HttpRequest.Builder req =
                        HttpRequest.newBuilder(uri).timeout(FETCH_TIMEOUT).GET();
                if (username != null && !username.isEmpty()) {
                    req.header("Authorization", SourceUrl.basicAuthorization(username, password));
                }
                HttpResponse<String> resp = client.send(req.build(), HttpResponse.BodyHandlers.ofString());
                if (resp.statusCode() != 200) {
                    return Optional.empty();
                }
                Parsed parsed = parse(resp.body());
                if (parsed.playlist() != null) {
                    return Optional.of(parsed.playlist());
                }
                String variant = parsed.variant();
                if (variant == null) {
                    return Optional.empty();
                }
                uri = uri.resolve(variant);
                if (!uri.getScheme().startsWith("http")) {
                    return Optional.empty(); // never follow a playlist out of http(s)
                }
            }
        } catch (Exception e) {
            // FFmpeg opens the playlist next and reports what is wrong with it
        }
        return Optional.empty();
    }

    /** A media playlist, or else the first variant of a master playlist (null when neither). */
    private record Parsed(HlsPlaylist playlist, String variant) {}

    private static Parsed parse(String body) {
        String variant = null;
        boolean nextIsVariant = false;
        Double target = null;
        boolean ended = false;
        String last = null;
        for (String line : body.split("\r?\n")) {
            line = line.trim();
            if (!line.isEmpty() && !line.startsWith("#")) {
                last = line;
            }
            if (line.startsWith("#EXT-X-TARGETDURATION:")) {
                target = Double.parseDouble(
                        line.substring("#EXT-X-TARGETDURATION:".length()).trim());
            } else if (line.startsWith("#EXT-X-ENDLIST") || line.startsWith("#EXT-X-PLAYLIST-TYPE:VOD")) {
                ended = true;
            } else if (line.startsWith("#EXT-X-STREAM-INF")) {
                nextIsVariant = true;
            } else if (nextIsVariant && !line.isEmpty() && !line.startsWith("#")) {
                variant = line;
                break;
            }
        }
        return new Parsed(target != null ? new HlsPlaylist(target, !ended, last) : null, variant);
    }
}
