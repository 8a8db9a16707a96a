package dev.monoscope.worker.monitor;

import dev.monoscope.api.worker.CaptionService;
import java.util.List;
import java.util.Map;

/**
 * What one monitoring run saw, for the command line's summary.
 *
 * @param everOpened   whether the input was opened at least once
 * @param error        the last fatal error (bad URL, unsupported codec, input never opened), or null
 * @param mediaSeconds media seconds monitored: the clock at the end of the last decoded frame
 * @param cpuSeconds   process CPU seconds from the first decoded frame to the last
 * @param wallSeconds  wall-clock seconds from the first decoded frame to the last
 * @param decoderType  cpu or cuda, once opened
 * @param defectCounts defects raised, by type id
 * @param captions     the caption and subtitle services seen
 * @param transport    the transport analyser's figures for the last connection, or null when it saw no MPEG-TS
 */
public record MonitorSummary(
        boolean everOpened,
        String error,
        long videoFrames,
        long audioFrames,
        double mediaSeconds,
        double cpuSeconds,
        double wallSeconds,
        String decoderType,
        Map<String, Integer> defectCounts,
        List<CaptionService> captions,
        Map<String, Object> transport) {}
