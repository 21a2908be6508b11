package dev.ravine.schedule;

/**
 * torch CyclicLR: the lr climbs linearly from base_lr (the optimizer's lr) to max_lr over step_size_up ticks and falls
 * back over step_size_down (default: step_size_up), cycle after cycle. The amplitude is scaled per cycle c (1-based)
 * or per tick t: triangular 1, triangular2 1 / 2^(c - 1) (halved every cycle), exp_range gamma^t.
 *
 * <p>With a {@link MomentumRange} (torch's cycle_momentum) the momentum is max_momentum minus the same scaled height of
 * (max_momentum - base_momentum): at max_momentum where the lr is at base_lr, lowest where it peaks. torch 1.13 cycles
 * only a {@code momentum} option; an Adam-family optimizer gets it as beta1, as torch 2's CyclicLR does. torch defaults
 * cycle_momentum to true; here it is off unless asked for (null).
 */
public record Cyclic(double baseLr, double maxLr, long stepSizeUp, long stepSizeDown, String mode, double gamma, MomentumRange momentumRange)
        implements LrSchedule {
    public Cyclic {
        LrSchedule.require(stepSizeUp >= 1 && stepSizeDown >= 1, "cyclic: step_size_up and step_size_down must be >= 1, got "
                + stepSizeUp + " and " + stepSizeDown);
        LrSchedule.require(mode.equals("triangular") || mode.equals("triangular2") || mode.equals("exp_range"),
                "cyclic: mode must be triangular, triangular2 or exp_range, got '" + mode + "'");
        LrSchedule.require(gamma > 0 && Double.isFinite(gamma), "cyclic: gamma must be a positive number, got " + gamma);
    }

    /** Without momentum cycling. */
    public Cyclic(double baseLr, double maxLr, long stepSizeUp, long stepSizeDown, String mode, double gamma) {
        this(baseLr, maxLr, stepSizeUp, stepSizeDown, mode, gamma, null);
    }

    @Override
    public double lrAt(long t) {
        return baseLr + scaled(maxLr - baseLr, t);
    }

    @Override
    public boolean cyclesMomentum() {
        return momentumRange != null;
    }

    @Override
    public double momentumAt(long t) {
        if (momentumRange == null) return LrSchedule.super.momentumAt(t);
        return momentumRange.max() - scaled(momentumRange.max() - momentumRange.base(), t);
    }

    /** {@code span} times torch's scale_factor at tick t (0 at base_lr, 1 at a peak) times the mode's amplitude, in torch's order. */
    private double scaled(double span, long t) {
        double total = stepSizeUp + stepSizeDown, ratio = stepSizeUp / total;
        double cycle = Math.floor(1 + t / total);
        double x = 1.0 + t / total - cycle;
        double scale = x <= ratio ? x / ratio : (x - 1) / (ratio - 1);
        double amplitude = switch (mode) {
            case "triangular" -> 1.0;
            case "triangular2" -> 1 / Math.pow(2, cycle - 1);
            default -> Math.pow(gamma, t);
        };
        return span * scale * amplitude;
    }

    @Override
    public String describe() {
        return "cyclic(" + baseLr + " to " + maxLr + ", up " + stepSizeUp + ", down " + stepSizeDown + ", " + mode
                + (mode.equals("exp_range") ? " gamma " + gamma : "") + (momentumRange != null ? ", " + momentumRange.describe() : "") + ")";
    }
}
