package dev.monoscope.worker.decode;

/**
 * An audio track as the detectors number it ({@link AudioBlock#track()}, from 1 in the programme) and as the container
 * identifies its stream (the PID in MPEG-TS).
 */
public record AudioTrackId(int number, int streamId) {}
