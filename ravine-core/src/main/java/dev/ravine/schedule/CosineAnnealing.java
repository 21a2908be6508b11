package dev.ravine.schedule;

/**
 * torch CosineAnnealingLR, closed form: eta_min + (base_lr - eta_min) (1 + cos(pi t / T_max)) / 2. Like torch's it
 * keeps following the cosine after T_max (rising back to base_lr at 2 T_max). torch steps a recursive form that
 * equals this up to float rounding (about 1e-15 relative).
 */
public record CosineAnnealing(double baseLr, long tMax, double etaMin) implements LrSchedule {
    public CosineAnnealing {
        LrSchedule.require(tMax >= 1, "cosine: T_max must be >= 1, got " + tMax);
    }

    @Override
    public double lrAt(long t) {
        return etaMin + (baseLr - etaMin) * (1 + Math.cos(Math.PI * t / tMax)) / 2;
    }

    @Override
    public String describe() {
        return "cosine(" + baseLr + ", T_max " + tMax + ", eta_min " + etaMin + ")";
    }
}
