package dev.ravine.optim;

/** A bad value of one named optimizer option, so a caller (the config reader) can point at that option. */
public final class OptionException extends IllegalArgumentException {
    private final String option;
    private final String problem;

    public OptionException(String optimizer, String option, String problem) {
        super(optimizer + " option '" + option + "' " + problem);
        this.option = option;
        this.problem = problem;
    }

    /** The option's name, as in {@link OptimizerSchema#options()}. */
    public String option() {
        return option;
    }

    /** What is wrong, without the optimizer and option names: "must be a number >= 0, got -0.1". */
    public String problem() {
        return problem;
    }
}
