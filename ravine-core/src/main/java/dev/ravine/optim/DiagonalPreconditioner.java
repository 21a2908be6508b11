package dev.ravine.optim;

/**
 * A link that scales each coordinate's step by its own running statistic (Adam, AdamW, AMSGrad, NAdam, RAdam,
 * AdaMax, RMSprop, Adagrad, Adadelta): it divides coordinate i of the update by P_i, the diagonal of its
 * preconditioner, which it reads from its own typed state. This is how the doctor knows that a run is adaptive and
 * what its preconditioner is (adaptive-step readings, preconditioned sharpness), without names or state keys.
 */
public interface DiagonalPreconditioner extends GradientTransform {
    /** This link's preconditioner for parameter {@code param}, from {@code state} (this link's); null before its first step. */
    Diagonal diagonal(TransformState state, int param);

    /** P over one parameter's coordinates, as of the parameter's last step. */
    interface Diagonal {
        int size();

        /** P_i: the link divides coordinate i of the update by it. */
        double at(int i);

        /** The second-moment estimate P is built from (bias-corrected v-hat for Adam): what decays on quiet coordinates. */
        double secondMoment(int i);
    }

    /** Whether {@code transform} has a diagonal preconditioner among its links (through chains and parameter groups). */
    static boolean presentIn(GradientTransform transform) {
        return switch (transform) {
            case DiagonalPreconditioner p -> true;
            case Chain c -> c.links().stream().anyMatch(DiagonalPreconditioner::presentIn);
            case Masked m -> presentIn(m.inner());
            default -> false;
        };
    }
}
