package io.flhetero.cli;

/** The process exit codes every command keeps to. */
public final class ExitCode {

    public static final int OK = 0;
    /** The job ran and failed (training diverged, too few clients, an engine error...). */
    public static final int FAILED = 1;
    /** Bad usage or bad input: a broken profile, a corrupt data file, an unknown option. */
    public static final int BAD_INPUT = 2;

    private ExitCode() {
    }
}
