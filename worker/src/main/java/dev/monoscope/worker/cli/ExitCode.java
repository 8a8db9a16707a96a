package dev.monoscope.worker.cli;

/** The monitor command's exit codes: scripts depend on them. */
public final class ExitCode {

    public static final int OK = 0;
    public static final int BAD_ARGUMENTS = 2;
    public static final int INPUT_NEVER_OPENED = 3;
    public static final int FAIL_ON_FOUND = 4;

    private ExitCode() {}
}
