package dev.ravine.schedule;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * torch ReduceLROnPlateau: driven by a metric, not by the step. {@link #observe} is torch's {@code step(metric)}, called
 * once per epoch (dev.ravine.train.PlateauListener does it for a Trainer); {@link #lrAt} is the current lr whatever the tick.
 *
 * <p>Its state (current lr, best metric, bad-epoch counter, cooldown counter, epochs observed) is one live long[]
 * (doubles as their raw bits) returned by {@link #counters()}: the optimizer's state exposes it through
 * {@link dev.ravine.optim.ScaleByLearningRate}, so checkpoints save and restore it bit-exactly with the rest of the optimizer.
 */
public final class ReduceOnPlateau implements LrSchedule {
    /** The metrics a plateau can be watched on, at each epoch end. */
    public static final java.util.List<String> MONITORS = java.util.List.of("val_loss", "train_loss", "val_accuracy");

    private static final int LR = 0, BEST = 1, BAD = 2, COOLDOWN = 3, EPOCHS = 4;
    private final String mode;
    private final double factor;
    private final long patience;
    private final double threshold;
    private final String thresholdMode;
    private final long cooldown;
    private final double minLr;
    private final double eps;
    private final long[] state = new long[5];

    public ReduceOnPlateau(double baseLr, String mode, double factor, long patience, double threshold, String thresholdMode, long cooldown,
                           double minLr, double eps) {
        LrSchedule.require(mode.equals("min") || mode.equals("max"), "reduce_on_plateau: mode must be min or max, got '" + mode + "'");
        LrSchedule.require(thresholdMode.equals("rel") || thresholdMode.equals("abs"),
                "reduce_on_plateau: threshold_mode must be rel or abs, got '" + thresholdMode + "'");
        LrSchedule.require(factor < 1.0 && factor >= 0, "reduce_on_plateau: factor must be in [0, 1), got " + factor);
        LrSchedule.require(patience >= 0 && cooldown >= 0, "reduce_on_plateau: patience and cooldown must be >= 0");
        this.mode = mode;
        this.factor = factor;
        this.patience = patience;
        this.threshold = threshold;
        this.thresholdMode = thresholdMode;
        this.cooldown = cooldown;
        this.minLr = minLr;
        this.eps = eps;
        state[LR] = Double.doubleToRawLongBits(baseLr);
        state[BEST] = Double.doubleToRawLongBits(mode.equals("min") ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY);
    }

    /** torch's scheduler.step(metric): one epoch's value of the monitored metric. */
    public void observe(double metric) {
        state[EPOCHS]++;
        if (isBetter(metric, best())) {
            state[BEST] = Double.doubleToRawLongBits(metric);
            state[BAD] = 0;
        } else {
            state[BAD]++;
        }
        if (state[COOLDOWN] > 0) {
            state[COOLDOWN]--;
            state[BAD] = 0;
        }
        if (state[BAD] > patience) {
            double old = lr(), next = Math.max(old * factor, minLr);
            if (old - next > eps) state[LR] = Double.doubleToRawLongBits(next);
            state[COOLDOWN] = cooldown;
            state[BAD] = 0;
        }
    }

    private boolean isBetter(double a, double best) {
        if (mode.equals("min")) return thresholdMode.equals("rel") ? a < best * (1 - threshold) : a < best - threshold;
        return thresholdMode.equals("rel") ? a > best * (threshold + 1) : a > best + threshold;
    }

    public double lr() {
        return Double.longBitsToDouble(state[LR]);
    }

    public double best() {
        return Double.longBitsToDouble(state[BEST]);
    }

    public long badEpochs() {
        return state[BAD];
    }

    public long cooldownCounter() {
        return state[COOLDOWN];
    }

    public long epochsObserved() {
        return state[EPOCHS];
    }

    @Override
    public double lrAt(long tick) {
        return lr();
    }

    /** The live state: "plateau" = [lr bits, best bits, bad epochs, cooldown counter, epochs]; restore writes into it. */
    @Override
    public Map<String, long[]> counters() {
        Map<String, long[]> m = new LinkedHashMap<>();
        m.put("plateau", state);
        return m;
    }

    @Override
    public String describe() {
        return "reduce_on_plateau(" + mode + ", factor " + factor + ", patience " + patience + ", threshold " + threshold + " " + thresholdMode
                + ", cooldown " + cooldown + ", min_lr " + minLr + ")";
    }
}
