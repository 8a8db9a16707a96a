package dev.monoscope.worker.transport;

/** The ETSI TR 101 290 checks the analyser makes; {@link #id()} is the transport defect's subtype. */
public enum TsCheck {
    // priority 1
    TS_SYNC_LOSS(1),
    SYNC_BYTE_ERROR(1),
    PAT_ERROR(1),
    CONTINUITY_COUNT_ERROR(1),
    PMT_ERROR(1),
    PID_ERROR(1),
    // priority 2
    TRANSPORT_ERROR(2),
    CRC_ERROR(2),
    PCR_REPETITION_ERROR(2),
    PCR_DISCONTINUITY_INDICATOR_ERROR(2),
    PTS_ERROR(2);

    private final int priority;
    private final String id;

    TsCheck(int priority) {
        this.priority = priority;
        this.id = name().toLowerCase(java.util.Locale.ROOT);
    }

    /** TR 101 290's priority: 1 (decodability) or 2 (continuous monitoring). */
    public int priority() {
        return priority;
    }

    /** The check's name in snake_case, e.g. {@code continuity_count_error}. */
    public String id() {
        return id;
    }
}
