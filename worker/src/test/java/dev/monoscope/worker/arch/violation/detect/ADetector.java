package dev.monoscope.worker.arch.violation.detect;

import dev.monoscope.worker.arch.violation.decode.DecodesWithADetector;

/** Fixture of {@code LayerRuleCatchesTest}: a detector reading what the decoder gives (allowed: detect is above). */
public final class ADetector {

    public boolean looksAt(DecodesWithADetector decoder) {
        return decoder != null;
    }
}
