package dev.monoscope.worker.source;

import dev.monoscope.api.worker.CaptionService;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The caption and subtitle renditions an HLS master playlist declares ({@code #EXT-X-MEDIA} with
 * {@code TYPE=SUBTITLES} or {@code TYPE=CLOSED-CAPTIONS}), as caption services.
 */
public final class HlsRenditions {

    private static final Pattern ATTRIBUTE = Pattern.compile("([A-Z0-9-]+)=(\"[^\"]*\"|[^,]*)");

    private HlsRenditions() {}

    /** The renditions of the master playlist at the source's URL; empty when it is a media playlist or unreadable. */
    public static List<CaptionService> read(SourceUrl source, Duration deadline) {
        if (!source.scheme().startsWith("http") || !source.looksLikeHls()) {
            return List.of();
        }
        try {
            SourceCredentials.Split split = SourceCredentials.split(source.ffmpegUrl());
            BoundedGet.Response response = BoundedGet.get(
                    split.uri(),
                    "playlist",
                    split.credentials(),
                    source.tls(),
                    deadline,
                    Limits.MAX_PLAYLIST_BYTES,
                    () -> false);
            return parse(new String(response.body(), StandardCharsets.UTF_8));
        } catch (SourceFetchException | IllegalArgumentException e) {
            return List.of(); // FFmpeg reads the playlist too and says what is wrong with it
        }
    }

    /** The SUBTITLES and CLOSED-CAPTIONS renditions of a master playlist, in its order. */
    public static List<CaptionService> parse(String playlist) {
        List<CaptionService> out = new ArrayList<>();
        for (String line : playlist.split("\r?\n")) {
            if (!line.startsWith("#EXT-X-MEDIA:")) {
                continue;
            }
            CaptionService s = new CaptionService(CaptionService.HLS_RENDITION, null, null);
            Matcher m = ATTRIBUTE.matcher(line.substring("#EXT-X-MEDIA:".length()));
            while (m.find()) {
                String value = m.group(2).startsWith("\"")
                        ? m.group(2).substring(1, m.group(2).length() - 1)
                        : m.group(2);
                switch (m.group(1)) {
                    case "TYPE" -> s.rendition = value.toUpperCase(Locale.ROOT);
                    case "LANGUAGE" -> s.language = value;
                    case "NAME" -> s.name = value;
                    case "INSTREAM-ID" -> s.instreamId = value;
                    default -> {}
                }
            }
            if ("SUBTITLES".equals(s.rendition) || "CLOSED-CAPTIONS".equals(s.rendition)) {
                out.add(s);
            }
        }
        return out;
    }
}
