package dev.monoscope.worker.source;

/**
 * An SCTE-35 tag of an HLS media playlist, as written: {@code #EXT-X-DATERANGE} with an SCTE35-OUT, -IN or -CMD
 * attribute, {@code #EXT-X-CUE-OUT}, {@code #EXT-X-CUE-OUT-CONT}, {@code #EXT-X-CUE-IN} or {@code #EXT-OATCLS-SCTE35}.
 *
 * @param name     the tag's name without '#', e.g. EXT-X-CUE-OUT
 * @param value    what follows the colon ("" when nothing)
 * @param sequence the media sequence number of the segment the tag precedes
 */
public record HlsCueTag(String name, String value, long sequence) {

    /** Whether a playlist line is one of these tags. */
    static boolean isCueTag(String line) {
        return line.startsWith("#EXT-X-CUE-OUT")
                || line.startsWith("#EXT-X-CUE-IN")
                || line.startsWith("#EXT-OATCLS-SCTE35")
                || (line.startsWith("#EXT-X-DATERANGE") && line.contains("SCTE35-"));
    }

    /** The tag of a line that {@link #isCueTag} accepts. */
    static HlsCueTag of(String line, long sequence) {
        int colon = line.indexOf(':');
        return colon < 0
                ? new HlsCueTag(line.substring(1), "", sequence)
                : new HlsCueTag(line.substring(1, colon), line.substring(colon + 1), sequence);
    }

    /** A quoted or plain attribute of an attribute list (RFC 8216 §4.2), or null. */
    public String attribute(String key) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                        "(?:^|,)" + java.util.regex.Pattern.quote(key) + "=(\"[^\"]*\"|[^,]*)")
                .matcher(value);
        if (!m.find()) {
            return null;
        }
        String v = m.group(1);
        return v.startsWith("\"") ? v.substring(1, v.length() - 1) : v;
    }
}
