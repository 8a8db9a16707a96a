package dev.monoscope.worker.detect;

import dev.monoscope.worker.source.HlsCueTag;
import dev.monoscope.worker.transport.SpliceInfo;
import dev.monoscope.worker.transport.SpliceInfoSection;
import java.util.Base64;
import java.util.HexFormat;

/**
 * What an HLS cue tag says, as a splice: the section an EXT-X-DATERANGE (SCTE35-OUT/IN/CMD, hexadecimal) or
 * EXT-OATCLS-SCTE35 (base64) carries, decoded as in the transport stream; EXT-X-CUE-OUT (its duration) a break's start
 * that must return, EXT-X-CUE-IN its return. EXT-X-CUE-OUT-CONT only repeats a break in progress: null.
 */
final class HlsCues {

    private HlsCues() {}

    /** The splice a tag stands for, or null for a tag that only repeats one. */
    static SpliceInfo interpret(HlsCueTag tag) throws SpliceInfoSection.Invalid {
        switch (tag.name()) {
            case "EXT-X-CUE-OUT" -> {
                String value = tag.attribute("DURATION");
                Double duration = seconds(value != null ? value : tag.value());
                return new SpliceInfo("splice_insert", null, null, true, false, false, duration, null);
            }
            case "EXT-X-CUE-IN" -> {
                return new SpliceInfo("splice_insert", null, null, false, null, false, null, null);
            }
            case "EXT-OATCLS-SCTE35" -> {
                return section(decodeBase64(tag.value().trim()), null);
            }
            case "EXT-X-DATERANGE" -> {
                return dateRange(tag);
            }
            default -> {
                return null;
            }
        }
    }

    private static SpliceInfo dateRange(HlsCueTag tag) throws SpliceInfoSection.Invalid {
        String out = tag.attribute("SCTE35-OUT");
        String in = tag.attribute("SCTE35-IN");
        String cmd = out != null ? out : in != null ? in : tag.attribute("SCTE35-CMD");
        if (cmd == null) {
            return null;
        }
        Boolean direction = out != null ? Boolean.TRUE : in != null ? Boolean.FALSE : null;
        SpliceInfo s = section(decodeHex(cmd), direction);
        Double planned = seconds(tag.attribute("PLANNED-DURATION"));
        if (s.durationSeconds() == null && planned != null) {
            s = new SpliceInfo(
                    s.command(),
                    s.pts(),
                    s.eventId(),
                    s.outOfNetwork(),
                    s.autoReturn(),
                    s.cancel(),
                    planned,
                    s.segmentationType());
        }
        return s;
    }

    /** A section's splice; a DATERANGE's OUT or IN attribute says which way when the section does not. */
    private static SpliceInfo section(byte[] bytes, Boolean direction) throws SpliceInfoSection.Invalid {
        SpliceInfo s = SpliceInfoSection.parse(bytes, 0, bytes.length);
        if (s.outOfNetwork() != null || direction == null) {
            return s;
        }
        return new SpliceInfo(
                s.command(),
                s.pts(),
                s.eventId(),
                direction,
                s.autoReturn(),
                s.cancel(),
                s.durationSeconds(),
                s.segmentationType());
    }

    private static byte[] decodeHex(String hex) throws SpliceInfoSection.Invalid {
        String digits = hex.startsWith("0x") || hex.startsWith("0X") ? hex.substring(2) : hex;
        try {
            return HexFormat.of().parseHex(digits);
        } catch (IllegalArgumentException e) {
            throw SpliceInfoSection.malformed("the SCTE35 attribute is not hexadecimal");
        }
    }

    private static byte[] decodeBase64(String text) throws SpliceInfoSection.Invalid {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw SpliceInfoSection.malformed("EXT-OATCLS-SCTE35 is not base64");
        }
    }

    /** Seconds as written ("30", "30.000"), or null. */
    private static Double seconds(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            double s = Double.parseDouble(value.trim());
            return Double.isFinite(s) && s >= 0 ? s : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
