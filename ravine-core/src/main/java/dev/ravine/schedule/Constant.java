package dev.ravine.schedule;

/** torch ConstantLR: base_lr * factor for the first total_iters ticks, then base_lr. */
public record Constant(double baseLr, double factor, long totalIters) implements LrSchedule {
    public Constant {
        LrSchedule.require(factor >= 0 && factor <= 1, "constant: factor must be in [0, 1], got " + factor);
        LrSchedule.require(totalIters >= 0, "constant: total_iters must be >= 0, got " + totalIters);
    }

    @Override
    public double lrAt(long t) {
        return t < totalIters ? baseLr * factor : baseLr;
    }

    @Override
    public String describe() {
        return "constant(" + baseLr + ", factor " + factor + ", total_iters " + totalIters + ")";
    }
}
