package dev.ravine.schedule;

/** torch ExponentialLR: base_lr * gamma^t. */
public record Exponential(double baseLr, double gamma) implements LrSchedule {
    @Override
    public double lrAt(long t) {
        return baseLr * Math.pow(gamma, t);
    }

    @Override
    public String describe() {
        return "exponential(" + baseLr + ", gamma " + gamma + ")";
    }
}
