package dev.ravine.schedule;

/** torch StepLR: base_lr * gamma^floor(t / step_size). */
public record Step(double baseLr, long stepSize, double gamma) implements LrSchedule {
    public Step {
        LrSchedule.require(stepSize >= 1, "step: step_size must be >= 1, got " + stepSize);
    }

    @Override
    public double lrAt(long t) {
        return baseLr * Math.pow(gamma, t / stepSize);
    }

    @Override
    public String describe() {
        return "step(" + baseLr + ", step_size " + stepSize + ", gamma " + gamma + ")";
    }
}
