package dev.ravine.schedule;

/**
 * The transformer ("noam") schedule, which torch has no class for: with n = t + 1 (the 1-based step),
 * base_lr * min(n / warmup_steps, sqrt(warmup_steps / n)): a linear warm-up to base_lr at n = warmup_steps, then
 * base_lr * sqrt(warmup_steps) / sqrt(n). Equal to torch LambdaLR with that lambda (tools/gen_schedule_fixtures.py).
 */
public record InverseSqrt(double baseLr, long warmupSteps) implements LrSchedule {
    public InverseSqrt {
        LrSchedule.require(warmupSteps >= 1, "inverse_sqrt: warmup_steps must be >= 1, got " + warmupSteps);
    }

    @Override
    public double lrAt(long t) {
        double n = t + 1;
        return baseLr * Math.min(n / warmupSteps, Math.sqrt(warmupSteps / n));
    }

    @Override
    public String describe() {
        return "inverse_sqrt(" + baseLr + ", warmup_steps " + warmupSteps + ")";
    }
}
