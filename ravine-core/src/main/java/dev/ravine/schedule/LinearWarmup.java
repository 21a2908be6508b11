package dev.ravine.schedule;

/**
 * torch LinearLR: base_lr * (start_factor + (end_factor - start_factor) * min(t, total_iters) / total_iters), the
 * usual linear warm-up (start_factor 1/3, end_factor 1, total_iters 5 by default, as torch).
 */
public record LinearWarmup(double baseLr, double startFactor, double endFactor, long totalIters) implements LrSchedule {
    public LinearWarmup {
        LrSchedule.require(startFactor > 0 && startFactor <= 1, "linear: start_factor must be in (0, 1], got " + startFactor);
        LrSchedule.require(endFactor >= 0 && endFactor <= 1, "linear: end_factor must be in [0, 1], got " + endFactor);
        LrSchedule.require(totalIters >= 1, "linear: total_iters must be >= 1, got " + totalIters);
    }

    @Override
    public double lrAt(long t) {
        return baseLr * (startFactor + (endFactor - startFactor) * Math.min(t, totalIters) / totalIters);
    }

    @Override
    public String describe() {
        return "linear(" + baseLr + ", start_factor " + startFactor + ", end_factor " + endFactor + ", total_iters " + totalIters + ")";
    }
}
