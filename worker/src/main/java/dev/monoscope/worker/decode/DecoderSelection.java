package dev.monoscope.worker.decode;

import dev.monoscope.api.worker.DecoderInfo;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;

/**
 * Which video decoder to open: the requested mode (auto, cpu or gpu), whether CUDA is usable on this machine and the
 * stream's codec give either a CUDA decoder (FFmpeg's {@code *_cuvid}: NVDEC, pictures come back as NV12/P010 in
 * host memory) or FFmpeg's own CPU decoder with the reason the GPU was not used. A pure decision: the CUDA probe and
 * the opening of the decoder happen elsewhere, and an open that fails still falls back ({@link #cudaOpenFailed}).
 *
 * @param cuvidDecoder the FFmpeg decoder name to try first, or null to decode on the CPU
 * @param info         what the report says: type cpu or cuda, the requested mode, and why not the GPU
 */
public record DecoderSelection(String cuvidDecoder, DecoderInfo info) {

    /** FFmpeg codec name → its NVDEC decoder in the bundled FFmpeg. */
    private static final Map<String, String> CUVID = Map.of(
            "h264", "h264_cuvid",
            "hevc", "hevc_cuvid",
            "mpeg2video", "mpeg2_cuvid",
            "mpeg1video", "mpeg1_cuvid",
            "mpeg4", "mpeg4_cuvid",
            "vp8", "vp8_cuvid",
            "vp9", "vp9_cuvid",
            "av1", "av1_cuvid",
            "vc1", "vc1_cuvid",
            "mjpeg", "mjpeg_cuvid");

    /**
     * @param requested   auto, cpu or gpu
     * @param cudaProblem null when CUDA is usable here, else why not (e.g. "no CUDA driver")
     * @param codec       the FFmpeg codec name of the video stream (h264, hevc, mpeg2video, …)
     */
    public static DecoderSelection choose(String requested, String cudaProblem, String codec) {
        String mode = requested == null ? "auto" : requested;
        if ("cpu".equals(mode)) {
            return new DecoderSelection(null, new DecoderInfo(DecoderInfo.CPU, mode, null));
        }
        String cuvid = CUVID.get(codec);
        if (cuvid == null) {
            return cpu(mode, "no CUDA decoder for " + codec);
        }
        if (cudaProblem != null) {
            return cpu(mode, cudaProblem);
        }
        return new DecoderSelection(cuvid, new DecoderInfo(DecoderInfo.CUDA, mode, null));
    }

    /**
     * Which of the enabled detectors lose coverage on this decoder, and why; null when none do. NVDEC's cuvid
     * decoders conceal damage without flagging it, so without pixel analysis corruption only sees the packets they
     * reject outright; with it, the pixel detector is the corruption detector there.
     */
    public static Map<String, String> reducedCoverage(
            DecoderInfo decoder, Collection<String> enabledDetectors, boolean pixelAnalysis) {
        if (decoder == null
                || !DecoderInfo.CUDA.equals(decoder.type)
                || !enabledDetectors.contains("corruption")
                || pixelAnalysis) {
            return null;
        }
        return Map.of(
                "corruption",
                "the CUDA decoder reports no decode errors and pixel analysis is off: only "
                        + "pictures it rejects are found");
    }

    /** The CUDA decoder would not open for this stream (profile it cannot decode, no free NVDEC session, …). */
    public DecoderSelection cudaOpenFailed(String error) {
        return cpu(info.requested, cuvidDecoder + " cannot decode this stream: " + error);
    }

    /** The active decoder failed mid-stream: decoding goes on on the CPU from the last keyframe. */
    public static DecoderInfo failedMidStream(DecoderInfo before, String decoderName, double at, String error) {
        String when = Double.isFinite(at)
                ? String.format(Locale.ROOT, "at stream time %.3f s", at)
                : "before its first picture"; // e.g. a profile NVDEC cannot decode, found at the first packet
        return new DecoderInfo(
                DecoderInfo.CPU,
                before.requested,
                String.format(
                        Locale.ROOT,
                        "%s failed %s (%s): decoding on the CPU from the last keyframe",
                        decoderName,
                        when,
                        error));
    }

    /** Whether this selection decodes on the GPU. */
    public boolean gpu() {
        return cuvidDecoder != null;
    }

    private static DecoderSelection cpu(String mode, String reason) {
        return new DecoderSelection(null, new DecoderInfo(DecoderInfo.CPU, mode, reason));
    }
}
