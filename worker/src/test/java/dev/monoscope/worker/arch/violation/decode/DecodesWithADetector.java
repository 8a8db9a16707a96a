package dev.monoscope.worker.arch.violation.decode;

import dev.monoscope.worker.arch.violation.detect.ADetector;

/** Fixture of {@code LayerRuleCatchesTest}: a decoder that calls a detector, which the layer order forbids. */
public final class DecodesWithADetector {

    public boolean decode() {
        return new ADetector().looksAt(this);
    }
}
