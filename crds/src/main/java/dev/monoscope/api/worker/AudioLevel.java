package dev.monoscope.api.worker;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One audio track's level now, for level meters (a counter in the report: its changes bump no version). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AudioLevel {

    /** The audio track, from 1. */
    public int track;

    /** True peak of the last 3 s, dBTP (0 is full scale); absent before anything is measured or in digital silence. */
    public Double peakDbtp;

    /** Short-term loudness (the last 3 s, EBU R128), LUFS; absent before 3 s are measured or in digital silence. */
    public Double shortTermLufs;
}
