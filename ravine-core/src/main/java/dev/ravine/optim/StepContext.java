package dev.ravine.optim;

/**
 * What a transform may know about the step besides gradients: the optimizer's step number (1 for the first
 * update), the trainer's learning-rate scale (1 unless the doctor or a user lowered it), and which parameters have
 * a gradient this step. As in torch.optim, a parameter without a gradient is skipped entirely: it does not move
 * and its state (moments, step count) does not advance.
 */
public record StepContext(long step, double lrScale, boolean[] active) {
    public boolean isActive(int param) {
        return active == null || active[param];
    }
}
