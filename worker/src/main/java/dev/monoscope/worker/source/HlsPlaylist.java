package dev.monoscope.worker.source;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an HLS media playlist (a master playlist is followed to its first variant): its target duration, so that a
 * live stream's signal-loss timeout covers the bursts in which its segments arrive (at least 1.5 × the target
 * duration), and its last segment, so that a playlist that stopped growing is not replayed as if it were live.
 *
 * @param targetDuration seconds, within {@link Limits#MIN_TARGET_DURATION} and {@link Limits#MAX_TARGET_DURATION}
 * @param live           no #EXT-X-ENDLIST (and not a VOD playlist)
 * @param lastSegment    the last segment's URI: unchanged between two reads means the playlist did not grow
 */
public record HlsPlaylist(double targetDuration, boolean live, String lastSegment) {

    private static final Pattern URI_ATTRIBUTE = Pattern.compile("URI=\"([^\"]*)\"");

    /**
     * Reads the playlist at {@code url} within {@code deadline} (each playlist of a master-variant chain, all told).
     * Credentials in the URL's user-info are sent as HTTP basic authentication to the URL's own origin only.
     *
     * @return empty when the playlist is not one, or cannot be read for a reason FFmpeg reports as well (an HTTP
     *     error, a refused connection)
     * @throws SourceFetchException when it stalls, is larger than {@link Limits#MAX_PLAYLIST_BYTES}, or names an
     *     address the protocol allow-list refuses (FFmpeg would hang, run out of memory, or say only "invalid data")
     */
    public static Optional<HlsPlaylist> read(String url, TlsSettings tls, Duration deadline, BooleanSupplier stopped)
            throws SourceFetchException {
        SourceCredentials.Split split;
        try {
            split = SourceCredentials.split(url);
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // not a URI Java reads: FFmpeg opens it and says what is wrong
        }
        long end = System.nanoTime() + deadline.toNanos();
        URI uri = split.uri();
        for (int hops = 0; hops < 3; hops++) {
            BoundedGet.Response response;
            try {
                Duration left = Duration.ofNanos(Math.max(1, end - System.nanoTime()));
                response = BoundedGet.get(
                        uri, "playlist", split.credentials(), tls, left, Limits.MAX_PLAYLIST_BYTES, stopped);
            } catch (SourceFetchException e) {
                if (e.category() == ErrorCategory.TIMEOUT || e.category() == ErrorCategory.INVALID_DATA) {
                    throw e;
                }
                return Optional.empty();
            }
            Parsed parsed = parse(new String(response.body(), StandardCharsets.UTF_8));
            for (String address : parsed.addresses) {
                refuseOutsideAllowList(response.uri(), address);
            }
            if (parsed.playlist != null) {
                return Optional.of(parsed.playlist);
            }
            if (parsed.variant == null) {
                return Optional.empty();
            }
            uri = response.uri().resolve(parsed.variant);
        }
        return Optional.empty();
    }

    /** What a playlist says: a media playlist, or a master playlist's first variant; every address it names. */
    record Parsed(HlsPlaylist playlist, String variant, java.util.List<String> addresses) {}

    static Parsed parse(String body) {
        String variant = null;
        boolean nextIsVariant = false;
        Double target = null;
        boolean ended = false;
        String last = null;
        java.util.List<String> addresses = new java.util.ArrayList<>();
        for (String line : body.split("\r?\n")) {
            line = line.trim();
            if (!line.isEmpty() && !line.startsWith("#")) {
                last = line;
                addresses.add(line);
                if (nextIsVariant && variant == null) {
                    variant = line;
                }
            }
            Matcher attribute = URI_ATTRIBUTE.matcher(line);
            if (line.startsWith("#") && attribute.find()) {
                addresses.add(attribute.group(1));
            }
            if (line.startsWith("#EXT-X-TARGETDURATION:")) {
                target = targetDuration(line.substring("#EXT-X-TARGETDURATION:".length()));
            } else if (line.startsWith("#EXT-X-ENDLIST") || line.startsWith("#EXT-X-PLAYLIST-TYPE:VOD")) {
                ended = true;
            } else if (line.startsWith("#EXT-X-STREAM-INF")) {
                nextIsVariant = true;
            }
        }
        HlsPlaylist playlist = target == null ? null : new HlsPlaylist(target, !ended, last);
        return new Parsed(playlist, variant, addresses);
    }

    /** The tag's value within the limits; a value that is not a number counts as the shortest. */
    private static double targetDuration(String value) {
        double seconds;
        try {
            seconds = Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            seconds = Double.NaN;
        }
        return Limits.clampTargetDuration(seconds);
    }

    /** A playlist reached over HTTP(S) may name only HTTP(S) addresses, as FFmpeg's allow-list has it. */
    private static void refuseOutsideAllowList(URI playlist, String address) throws SourceFetchException {
        String scheme;
        try {
            scheme = playlist.resolve(address.replace(" ", "%20")).getScheme();
        } catch (IllegalArgumentException e) {
            return; // FFmpeg resolves it its own way, and its allow-list applies
        }
        scheme = scheme == null ? "" : scheme.toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new SourceFetchException(
                    ErrorCategory.INVALID_DATA,
                    "the protocol allow-list refused " + SourceUrl.redact(address) + " (" + scheme
                            + ":), named in the playlist " + SourceUrl.redact(playlist.toString()));
        }
    }
}
