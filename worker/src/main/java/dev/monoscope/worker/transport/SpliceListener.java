package dev.monoscope.worker.transport;

/** Told of every SCTE-35 splice_info_section on a PID that a PMT declares with stream type 0x86. */
public interface SpliceListener {

    /**
     * @param pcrSeconds where in the stream the section ended, on its PCR clock (as {@link TsAnalyzer.ErrorListener}),
     *                   or NaN before the first PCR
     */
    void splice(int pid, SpliceInfo info, double pcrSeconds);

    /** A section that could not be decoded: {@code why.subtype()} is crc_error or malformed. */
    void invalidSplice(int pid, SpliceInfoSection.Invalid why, double pcrSeconds);
}
