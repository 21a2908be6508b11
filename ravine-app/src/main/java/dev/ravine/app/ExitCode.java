package dev.ravine.app;

/** The exit statuses of the ravine command. */
public final class ExitCode {
    private ExitCode() {}

    /** The command did what was asked (a training run completed, or was stopped on request). */
    public static final int OK = 0;
    /** A bug in Ravine: the message and stack trace are printed; please report them. */
    public static final int INTERNAL_ERROR = 1;
    /** Bad input: a config, command-line, data or checkpoint problem, explained in one message without a stack trace. */
    public static final int BAD_INPUT = 2;
    /** The training loss became NaN or infinite; the run folder keeps the last checkpoint written before it. */
    public static final int DIVERGED = 3;
    /** Stopped by Ctrl-C (128 + SIGINT, as shells report it); the run folder has a summary with status stopped. */
    public static final int INTERRUPTED = 130;
}
