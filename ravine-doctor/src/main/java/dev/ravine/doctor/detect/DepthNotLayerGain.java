package dev.ravine.doctor.detect;

import static dev.ravine.doctor.detect.Readings.fmt;

import dev.ravine.doctor.finding.Finding;
import dev.ravine.doctor.finding.Refutation;
import dev.ravine.doctor.finding.Severity;
import dev.ravine.doctor.instrument.LayerReading;
import dev.ravine.doctor.instrument.StepReading;
import java.util.List;
import java.util.Optional;

/**
 * Vanishing gradients over depth has two causes that call for different cures, told apart by the factor each layer
 * applies to the gradient on its way back (the first-to-last relative gradient ratio's geometric mean per layer, so the
 * rule does not depend on how deep the net is):
 * <ul>
 *   <li>a small factor in every layer, below {@value #LAYER_GAIN}: the activation or the initialization shrinks the
 *       signal at each layer (a sigmoid's derivative is at most 1/4; weights N(0, 0.01^2) on 64 inputs give 0.08), and
 *       re-initializing or swapping the activation is the cure: vanishing_gradients stands;</li>
 *   <li>a mild factor (above {@value #LAYER_GAIN}) that only depth compounds to nothing, while a shallower network
 *       trained exactly like the run fits the data (optimization_issue, the depth verdict of
 *       {@link TrainingLossDiagnosis}): no single layer is at fault, depth is; the vanishing finding is a symptom of it
 *       and is demoted to a note ({@link Refutation}) so that the depth verdict ranks first.</li>
 * </ul>
 * Measured on the tuning-data halves (main 332bdd1, seed 1): sigmoid, softplus and small-init nets that the init or
 * activation swap healed had factors 0.04-0.20; default-init ReLU, leaky-ReLU, ELU and tanh stacks of 8-13 layers
 * that one hidden layer fitted had 0.26-0.67. 1/4 is not fitted between them: it is the best a sigmoid layer can pass.
 * Only the depth form is judged: a finding raised through time (a recurrent layer's steps) is left as it is.
 */
public final class DepthNotLayerGain {
    private DepthNotLayerGain() {}

    /** The per-layer backward factor at or above which depth, not the layers' gain, makes the gradient vanish. */
    public static final double LAYER_GAIN = 0.25;

    /**
     * The refutation of the open {@code vanishing} finding when {@code depth} (an optimization_issue whose shallower
     * reference won) stands and the full readings of {@code history} that raised it ({@link #judged}) vanish over depth
     * (below {@code rule}'s ratio) with a mild per-layer factor; empty otherwise.
     */
    public static Optional<Refutation> judge(Finding vanishing, Finding depth, List<StepReading> history, VanishingGradientsDetector rule) {
        int persistence = rule.persistence();
        if (!vanishing.id().equals("vanishing_gradients") || vanishing.severity() == Severity.INFO) return Optional.empty();
        if (!depth.id().equals("optimization_issue") || depth.severity() == Severity.INFO) return Optional.empty();
        List<StepReading> judged = judged(vanishing, history, persistence);
        if (judged.isEmpty()) return Optional.empty();
        double worst = 0;
        int layers = 0;
        for (StepReading r : judged) {
            if (r.layers().size() < 3) return Optional.empty(); // a factor per layer needs at least two layers between
            double q = relativeGradient(r.layers().getFirst()) / relativeGradient(r.layers().getLast());
            if (!(q > 0 && q < rule.ratio())) return Optional.empty(); // not vanishing over depth (the finding came through time)
            worst = Math.max(worst, q);
            layers = r.layers().size();
        }
        double factor = perLayerFactor(worst, layers);
        if (!(factor >= LAYER_GAIN)) return Optional.empty();
        return Optional.of(new Refutation("vanishing_gradients", List.of("the gradient shrinks by a factor of about " + fmt(factor)
                + " per layer (first-to-last ratio " + fmt(worst) + " over " + layers + " layers with parameters), above the " + fmt(LAYER_GAIN)
                + " a saturating activation or a shrinking initialization gives: no layer is at fault, the depth compounds a mild factor,"
                + " and a shallower network trained like the run fits the data (optimization_issue)")));
    }

    /**
     * The full readings within the finding's own steps, the ones that raised it; the last {@code persistence} full
     * readings when it spans fewer. Not simply the run's last readings: a ratio near the threshold crosses it back and
     * forth (fresh5-opt-deep-tanh-fourteen-digits14-momentum: below 1e-3 at steps 170-200, 0.0013-0.0015 at 230-240,
     * the same factor of about 0.6 per layer throughout), and the finding stays open after its last crossing.
     */
    static List<StepReading> judged(Finding vanishing, List<StepReading> history, int persistence) {
        List<StepReading> full = Readings.full(history);
        List<StepReading> own = full.stream().filter(r -> r.step() >= vanishing.firstStep() && r.step() <= vanishing.lastStep()).toList();
        if (own.size() >= persistence) return own;
        return full.size() < persistence ? List.of() : full.subList(full.size() - persistence, full.size());
    }

    /** The geometric mean of the factor per layer step that compounds to {@code ratio} over {@code layers} layers. */
    static double perLayerFactor(double ratio, int layers) {
        return Math.pow(ratio, 1.0 / (layers - 1));
    }

    private static double relativeGradient(LayerReading l) {
        return l.gradNorm() / Math.max(l.weightNorm(), 1e-12);
    }
}
