package dev.monoscope.worker.monitor;

/** How one connection of a {@link Monitor} ended. */
enum ConnectionOutcome {
    /** The end of a file (or stop()): monitoring is over. */
    ENDED,
    /** A live input ended (the server closed it). */
    LIVE_EOF,
    /** Reading failed or stalled for the timeout: signal loss is raised. */
    LOST_AFTER_DATA
}
