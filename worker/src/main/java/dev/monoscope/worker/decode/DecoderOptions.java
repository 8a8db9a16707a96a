package dev.monoscope.worker.decode;

import dev.monoscope.worker.transport.TsAnalyzer;
import java.util.List;

/**
 * How {@link StreamDecoder#open} opens an input.
 *
 * @param timeoutSeconds   how long the input may deliver no data before reading fails
 * @param program          programme to watch, from 1, or null for the first
 * @param audioTracks      audio tracks of that programme, from 1, or null/empty for all
 * @param decoderMode      auto, cpu or gpu (CUDA through the *_cuvid decoders)
 * @param threads          CPU decoding threads
 * @param hlsTargetSeconds a live HLS playlist's target duration, seconds, or NaN
 * @param transport        the transport analyser that sees an MPEG-TS input's bytes, or null
 */
public record DecoderOptions(
        double timeoutSeconds,
        Integer program,
        List<Integer> audioTracks,
        String decoderMode,
        int threads,
        double hlsTargetSeconds,
        TsAnalyzer transport) {

    /** The first programme, every audio track, on the CPU with one thread, no transport analysis. */
    public static DecoderOptions cpu(double timeoutSeconds) {
        return new DecoderOptions(timeoutSeconds, null, null, "cpu", 1, Double.NaN, null);
    }

    public DecoderOptions withAudioTracks(List<Integer> tracks) {
        return new DecoderOptions(timeoutSeconds, program, tracks, decoderMode, threads, hlsTargetSeconds, transport);
    }

    public DecoderOptions withTransport(TsAnalyzer analyzer) {
        return new DecoderOptions(
                timeoutSeconds, program, audioTracks, decoderMode, threads, hlsTargetSeconds, analyzer);
    }
}
