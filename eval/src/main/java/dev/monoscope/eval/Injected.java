package dev.monoscope.eval;

/**
 * One defect a recipe injects, in content seconds (0 = the first generated frame and sample): the first defective
 * picture or sample up to the first good one. {@code value}: the gain of an audio defect, the offset in ms of an
 * A/V offset, the share of pictures dropped, the length in seconds of the packets bitstream damage changes.
 */
record Injected(String type, double start, double end, double value) {

    static final String BLACK = "black";
    static final String FREEZE = "freeze";
    static final String SILENCE = "silence";
    static final String DAMAGE = "corruption";
    static final String AV_OFFSET = "av_sync";
    static final String LOUDNESS = "loudness";
    static final String CLIPPING = "clipping";
    static final String FRAME_DROP = "frame_drop";

    /** Every injected type, in report order. */
    static final java.util.List<String> TYPES =
            java.util.List.of(BLACK, FREEZE, SILENCE, DAMAGE, AV_OFFSET, LOUDNESS, CLIPPING, FRAME_DROP);

    /** Whether the type lives on the audio clock (else on the video's). */
    boolean audio() {
        return type.equals(SILENCE) || type.equals(LOUDNESS) || type.equals(CLIPPING);
    }
}
