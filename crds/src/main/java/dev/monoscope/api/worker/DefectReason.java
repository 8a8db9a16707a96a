package dev.monoscope.api.worker;

import java.util.Set;

/**
 * The words a worker puts in a defect's {@code details.reason} for what it found. Any other reason is an error text
 * (what failed while opening or reading the input), which status shows as a category; these are shown as they are.
 */
public final class DefectReason {

    /** signal_loss: the programme's video, or every audio track, is scrambled (conditional access). */
    public static final String SCRAMBLED = "scrambled";
    /** signal_loss: the video yields no picture (e.g. H.264 without parameter sets). */
    public static final String UNDECODABLE = "undecodable";
    /** silence: the sound stopped arriving while the pictures played on. */
    public static final String MISSING = "missing";
    /** delivery: a playlist reload lists segments from before the last one. */
    public static final String BACKWARDS = "backwards";
    /** delivery: a playlist reload skipped segments. */
    public static final String SKIPPED = "skipped";

    private static final Set<String> NAMED = Set.of(SCRAMBLED, UNDECODABLE, MISSING, BACKWARDS, SKIPPED);

    private DefectReason() {}

    /** Whether {@code reason} is one of these words, not an error text. */
    public static boolean isNamed(String reason) {
        return NAMED.contains(reason);
    }
}
