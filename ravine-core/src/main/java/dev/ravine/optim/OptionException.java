package dev.ravine.optim;

/** A bad value of one named optimizer option, so a caller (the config reader) can point at that option. */
public final class OptionException extends IllegalArgumentException {
    private final String option;

    public OptionException(String optimizer, String option, String problem) {
        super(optimizer + " option '" + option + "' " + problem);
        this.option = option;
    }

    /** The option's name, as in {@link OptimizerSpec#defaults()}. */
    public String option() {
        return option;
    }
}
