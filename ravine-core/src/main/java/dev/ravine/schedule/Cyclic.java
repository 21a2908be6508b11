package dev.ravine.schedule;

/**
 * torch CyclicLR (the lr part; cycle_momentum is not supported): the lr climbs linearly from base_lr (the optimizer's
 * lr) to max_lr over step_size_up ticks and falls back over step_size_down (default: step_size_up), cycle after cycle.
 * The amplitude is scaled per cycle c (1-based) or per tick t: triangular 1, triangular2 1 / 2^(c - 1) (halved every
 * cycle), exp_range gamma^t.
 */
public record Cyclic(double baseLr, double maxLr, long stepSizeUp, long stepSizeDown, String mode, double gamma) implements LrSchedule {
    public Cyclic {
        LrSchedule.require(stepSizeUp >= 1 && stepSizeDown >= 1, "cyclic: step_size_up and step_size_down must be >= 1, got "
                + stepSizeUp + " and " + stepSizeDown);
        LrSchedule.require(mode.equals("triangular") || mode.equals("triangular2") || mode.equals("exp_range"),
                "cyclic: mode must be triangular, triangular2 or exp_range, got '" + mode + "'");
        LrSchedule.require(gamma > 0 && Double.isFinite(gamma), "cyclic: gamma must be a positive number, got " + gamma);
    }

    @Override
    public double lrAt(long t) {
        double total = stepSizeUp + stepSizeDown, ratio = stepSizeUp / total;
        double cycle = Math.floor(1 + t / total);
        double x = 1.0 + t / total - cycle;
        double scale = x <= ratio ? x / ratio : (x - 1) / (ratio - 1);
        double height = (maxLr - baseLr) * scale;
        double amplitude = switch (mode) {
            case "triangular" -> 1.0;
            case "triangular2" -> 1 / Math.pow(2, cycle - 1);
            default -> Math.pow(gamma, t);
        };
        return baseLr + height * amplitude;
    }

    @Override
    public String describe() {
        return "cyclic(" + baseLr + " to " + maxLr + ", up " + stepSizeUp + ", down " + stepSizeDown + ", " + mode
                + (mode.equals("exp_range") ? " gamma " + gamma : "") + ")";
    }
}
