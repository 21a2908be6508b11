package dev.ravine.schedule;

/**
 * torch CosineAnnealingWarmRestarts (SGDR): cosine from base_lr to eta_min over T_i ticks, then a restart with
 * T_i *= T_mult (T_0 first). T_cur is computed with integers exactly as torch's per-tick stepping does.
 */
public record CosineAnnealingWarmRestarts(double baseLr, long t0, long tMult, double etaMin) implements LrSchedule {
    public CosineAnnealingWarmRestarts {
        LrSchedule.require(t0 >= 1, "cosine_warm_restarts: T_0 must be an integer >= 1, got " + t0);
        LrSchedule.require(tMult >= 1, "cosine_warm_restarts: T_mult must be an integer >= 1, got " + tMult);
    }

    @Override
    public double lrAt(long t) {
        long ti = t0, cur = t;
        if (tMult == 1) cur = t % t0;
        else while (cur >= ti) {
            cur -= ti;
            ti *= tMult;
        }
        return etaMin + (baseLr - etaMin) * (1 + Math.cos(Math.PI * cur / ti)) / 2;
    }

    @Override
    public String describe() {
        return "cosine_warm_restarts(" + baseLr + ", T_0 " + t0 + ", T_mult " + tMult + ", eta_min " + etaMin + ")";
    }
}
