package dev.ravine.optim;

/**
 * The momentum a schedule sets at each optimizer step (1-based), as torch's OneCycleLR and CyclicLR do with
 * {@code cycle_momentum}: SGD's and RMSprop's {@code momentum}, or the Adam family's beta1 ({@code betas[0]}). The
 * momentum links ({@link TraceMomentum}, {@link ScaleByAdam}, ...) read it in place of their constant.
 */
@FunctionalInterface
public interface MomentumSchedule {
    double momentum(long step);
}
