package dev.ravine.schedule;

/** torch PolynomialLR: base_lr * (1 - min(t, total_iters) / total_iters)^power, reaching 0 at total_iters and staying there. */
public record Polynomial(double baseLr, long totalIters, double power) implements LrSchedule {
    public Polynomial {
        LrSchedule.require(totalIters >= 1, "polynomial: total_iters must be >= 1, got " + totalIters);
        LrSchedule.require(power >= 0 && Double.isFinite(power), "polynomial: power must be a number >= 0, got " + power);
    }

    @Override
    public double lrAt(long t) {
        return baseLr * Math.pow(1.0 - (double) Math.min(t, totalIters) / totalIters, power);
    }

    @Override
    public String describe() {
        return "polynomial(" + baseLr + ", total_iters " + totalIters + ", power " + power + ")";
    }
}
