package dev.ravine.optim;

/** Checks of optimizer hyper-parameters, with torch.optim's names in the messages; NaN fails every check. */
final class HyperParameters {
    private HyperParameters() {}

    /** A decay rate such as Adam's betas: 0 <= value < 1. */
    static void requireDecay(String name, double value) {
        if (!(value >= 0 && value < 1)) throw new IllegalArgumentException(name + " must be in [0, 1), got " + value);
    }

    static void requireNonNegative(String name, double value) {
        if (!(value >= 0)) throw new IllegalArgumentException(name + " must be >= 0, got " + value);
    }
}
