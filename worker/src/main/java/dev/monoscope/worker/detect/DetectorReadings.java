package dev.monoscope.worker.detect;

import dev.monoscope.worker.detect.loudness.LoudnessLevels;

/**
 * What the detectors measure besides defects, for the metrics to read: loudness levels, video timestamp jumps and
 * the transport analyser's counts. Each is null when its detector is off.
 */
public record DetectorReadings(LoudnessLevels loudness, TimestampJumps timestampJumps, TransportDetector transport) {}
