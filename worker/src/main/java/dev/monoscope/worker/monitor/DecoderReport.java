package dev.monoscope.worker.monitor;

import dev.monoscope.api.worker.DecoderInfo;
import dev.monoscope.api.worker.StreamInfo;
import dev.monoscope.worker.decode.DecoderSelection;
import dev.monoscope.worker.report.ReportState;

/**
 * The connection and the decoder as the report shows them: where decoding happens, and the coverage lost when it is
 * not where it was asked to be (a GPU decoder flags no damaged pictures).
 */
final class DecoderReport {

    private final ReportState state;
    /** auto, cpu or gpu, as asked for. */
    private final String requested;

    private final boolean pixelAnalysis;
    private DecoderInfo reportedDecoder;
    private String decoderType;

    DecoderReport(ReportState state, String requested, boolean pixelAnalysis) {
        this.state = state;
        this.requested = requested;
        this.pixelAnalysis = pixelAnalysis;
    }

    /** An input was opened: connected, with this stream and decoder. */
    void connected(StreamInfo info, DecoderInfo dec) {
        reportedDecoder = dec;
        decoderType = dec.type;
        if (dec.reason != null && "gpu".equals(requested)) {
            System.err.println("monoscope: decoding on the CPU: " + dec.reason);
        }
        state.change(r -> {
            r.connected = true;
            r.stream = info;
            r.decoder = dec;
            r.reducedCoverage = DecoderSelection.reducedCoverage(dec, r.detectors, pixelAnalysis);
            r.error = null;
        });
    }

    /** The decoder now: when it failed over to the CPU mid-stream, the report says so and the monitor goes on. */
    void follow(DecoderInfo dec) {
        if (dec == reportedDecoder) {
            return;
        }
        reportedDecoder = dec;
        decoderType = dec.type;
        System.err.println("monoscope: " + dec.reason);
        state.change(r -> {
            r.decoder = dec;
            r.reducedCoverage = DecoderSelection.reducedCoverage(dec, r.detectors, pixelAnalysis);
        });
    }

    /** cpu or cuda, once opened. */
    String decoderType() {
        return decoderType;
    }
}
