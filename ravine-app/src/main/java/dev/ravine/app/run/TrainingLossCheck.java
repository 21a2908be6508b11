package dev.ravine.app.run;

import dev.ravine.app.build.BuiltModel;
import dev.ravine.app.build.LossBuilder;
import dev.ravine.app.build.ModelBuilder;
import dev.ravine.app.build.RunOptimizer;
import dev.ravine.app.config.LayerConfig;
import dev.ravine.app.config.RunConfig;
import dev.ravine.data.DataLoader;
import dev.ravine.data.Dataset;
import dev.ravine.doctor.Doctor;
import dev.ravine.doctor.detect.DepthNotLayerGain;
import dev.ravine.doctor.detect.TrainingLossDiagnosis;
import dev.ravine.doctor.detect.VanishingGradientsDetector;
import dev.ravine.doctor.finding.Finding;
import dev.ravine.nn.loss.Loss;
import dev.ravine.tensor.Rng;
import dev.ravine.train.BatchEvent;
import dev.ravine.train.StopRequest;
import dev.ravine.train.Trainer;
import dev.ravine.train.TrainingListener;
import dev.ravine.train.TrainingOptions;
import dev.ravine.train.TrainingResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The end-of-run check of a training loss that stayed high ({@link TrainingLossDiagnosis}): trains a shallower and a
 * wider reference network ({@link ReferenceModels}) from fresh weights for the run's own steps (at most {@value #BUDGET})
 * like the run (its optimizer settings, batch size and sample order, shuffled or not), and the model itself on
 * {@value #SUBSET} samples for {@value #SUBSET_STEPS} steps, then lets the rule decide between model_bias and
 * optimization_issue, comparing each reference with the run's own loss after as many steps, every loss by its excess
 * over the floor the config's loss declares ({@link LossFloor}). Costs nothing when the loss fell as it should. A
 * shallower reference that would drop a bottleneck is not trained (it could decide nothing), leaving its time to the
 * wider one.
 *
 * <p>Its cost is bounded by the run's own: the references together get {@value #SHARE} of the run's time (at least
 * {@value #FLOOR_SECONDS} s), each reference is timed by its own steps, not predicted from the run's
 * ({@link ReferenceDeadline}), and a reference cut short by the deadline counts as not measured, so the rule decides
 * only on complete measurements. A stop request (Ctrl-C, SIGTERM) ends the check at the next step.
 *
 * <p>Not from the probes' budget ({@link dev.ravine.doctor.probe.ProbeBudget}): a reference trained like the run costs
 * about the run's own steps (measured on the suite's model_bias cases: 100-130% of the training time), so within a
 * tenth of the run it could not train at all, and model_bias would never be found. Its time is reported apart in
 * summary.json ({@code doctor.reference_seconds}).
 */
final class TrainingLossCheck {
    static final int BUDGET = 500;
    static final int SUBSET = 64;
    static final int SUBSET_STEPS = 200;
    /** Losses averaged at the end of each reference run (a single batch's loss is noisy). */
    static final int TAIL = 10;
    /** The references' share of the run's wall time. */
    static final double SHARE = 0.5;
    static final double FLOOR_SECONDS = 10;

    private TrainingLossCheck() {}

    /**
     * What the check cost and found: the seconds it took (the reference networks' time, reported in summary.json) and the
     * wider reference's final training loss (NaN when none was trained), which the label-noise check reads too: labels a
     * bigger model fits are not noise.
     */
    record Outcome(double seconds, double widerLoss) {}

    /** Runs the check. */
    static Outcome run(RunConfig config, BuiltModel model, Dataset train, TrainingResult result, Doctor doctor) {
        long t0 = System.nanoTime();
        double wider = check(config, model, train, result, doctor);
        return new Outcome((System.nanoTime() - t0) * 1e-9, wider);
    }

    /** Returns the wider reference's loss (NaN when not measured). */
    private static double check(RunConfig config, BuiltModel model, Dataset train, TrainingResult result, Doctor doctor) {
        TrainingLossDiagnosis rule = TrainingLossDiagnosis.defaults();
        double runLoss = result.trainLoss();
        List<double[]> history = doctor.instruments().history().stream().filter(r -> Double.isFinite(r.loss()))
                .map(r -> new double[] {r.step(), r.loss()}).toList();
        double firstLoss = history.isEmpty() ? Double.NaN : history.getFirst()[1];
        double chance = ChanceLoss.of(config, train);
        List<LayerConfig> layers = config.model().layers();
        double floor = LossFloor.of(config, train, ReferenceModels.outputs(layers)); // what the loss can reach at best
        double lateDrop = lateDrop(history, floor);
        if (!rule.isHigh(runLoss, firstLoss, chance, floor)) return Double.NaN;
        long budget = Math.min(result.steps(), BUDGET);
        double seconds = Math.max(FLOOR_SECONDS, SHARE * result.wallSeconds());
        ReferenceDeadline deadline = new ReferenceDeadline(System.nanoTime() + (long) (1e9 * seconds));
        int cut = ReferenceModels.cutWidth(layers), outputs = ReferenceModels.outputs(layers);
        // a shallower net that drops a bottleneck decides nothing (no depth verdict): its time goes to the wider one
        double shallower = TrainingLossDiagnosis.cutsBottleneck(cut, outputs) ? Double.NaN
                : reference(config, ReferenceModels.shallower(layers), model, train, budget, deadline)[1];
        double wider = reference(config, ReferenceModels.wider(layers), model, train, budget, deadline)[1];
        Dataset subset = train.subset(firstIndices(Math.min(SUBSET, train.size())));
        double[] fit = reference(config, layers, model, subset, SUBSET_STEPS, deadline);
        if (StopRequest.raised()) return Double.NaN; // interrupted: no finding from partial measurements
        TrainingLossDiagnosis.Measurements m = new TrainingLossDiagnosis.Measurements(runLoss, firstLoss, shallower, wider, fit[1], fit[0],
                subset.size(), budget, result.steps(), lossAt(history, budget), chance, lateDrop, model.parameterCount(), earlyDrop(history, floor),
                cut, outputs, floor);
        Optional<Finding> verdict = rule.decide(m, doctor.facts());
        verdict.ifPresent(doctor::record);
        if (verdict.isPresent() && rule.depthDefeats(m)) demoteVanishingSymptom(doctor, verdict.get());
        return wider;
    }

    /**
     * A depth verdict and a vanishing gradient with a mild factor per layer: the vanishing is depth's symptom, not a
     * layer's fault, and is demoted so the depth verdict ranks first ({@link DepthNotLayerGain}).
     */
    private static void demoteVanishingSymptom(Doctor doctor, Finding depth) {
        doctor.finding("vanishing_gradients").flatMap(v -> DepthNotLayerGain.judge(v, depth, doctor.instruments().history(),
                VanishingGradientsDetector.defaults())).ifPresent(doctor::refute);
    }

    /** The run's mean step loss over the {@value #TAIL} steps ending at {@code step}: what a reference's tail is compared with. */
    private static double lossAt(List<double[]> history, long step) {
        return history.stream().filter(h -> h[0] <= step && h[0] > step - TAIL).mapToDouble(h -> h[1]).average().orElse(Double.NaN);
    }

    /**
     * The relative fall of the median step loss from the run's middle third to its last third (medians over many steps,
     * so batch noise does not move them); NaN for a run too short to have thirds.
     */
    static double lateDrop(List<double[]> history) {
        return lateDrop(history, 0);
    }

    /** As above, of the loss's excess over its floor ({@link LossFloor}): a loss nearing its floor has little left to lose. */
    static double lateDrop(List<double[]> history, double floor) {
        int n = history.size(), third = n / 3;
        if (third < 3) return Double.NaN;
        double middle = median(history.subList(third, 2 * third)) - floor, last = median(history.subList(n - third, n)) - floor;
        return middle > 0 ? (middle - last) / middle : Double.NaN;
    }

    /**
     * The relative fall of the median step loss's excess over the floor from the run's first third to its middle third;
     * NaN for a run too short.
     */
    static double earlyDrop(List<double[]> history, double floor) {
        int n = history.size(), third = n / 3;
        if (third < 3) return Double.NaN;
        double first = median(history.subList(0, third)) - floor, middle = median(history.subList(third, 2 * third)) - floor;
        return first > 0 ? (first - middle) / first : Double.NaN;
    }

    private static double median(List<double[]> part) {
        double[] v = part.stream().mapToDouble(h -> h[1]).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static final double[] NOT_MEASURED = {Double.NaN, Double.NaN};

    /**
     * {first loss, mean of the last losses} of a fresh network trained for {@code steps}; NaNs without layers, or when
     * the deadline leaves no room for it or cuts it short.
     */
    private static double[] reference(RunConfig config, List<LayerConfig> layers, BuiltModel model, Dataset data, long steps,
            ReferenceDeadline deadline) {
        if (layers == null || deadline.passed()) return NOT_MEASURED;
        Rng rng = new Rng(config.seed());
        BuiltModel net = ModelBuilder.build(layers, model.inputShape(), rng);
        Trainer trainer = new Trainer(net.network(), LossBuilder.create(config.lossOptions().resolved(data)), RunOptimizer.optimizer(config.optimizer(), net.network().namedParameters()), rng,
                TrainingOptions.epochs(Integer.MAX_VALUE));
        List<Double> losses = new ArrayList<>();
        boolean[] cut = {false};
        trainer.addListener(new TrainingListener() {
            @Override
            public void onBatchEnd(Trainer t, BatchEvent e) {
                losses.add(e.loss());
                if (losses.size() >= steps) {
                    t.requestStop("budget");
                } else if (deadline.passed()) {
                    cut[0] = true;
                    t.requestStop("deadline");
                }
            }
        });
        int batch = Math.min(config.training().batchSize(), data.size());
        // in the run's sample order: a reference that shuffles what the run took sorted would be trained unlike it
        trainer.fit(new DataLoader(data, batch, config.data().shuffle(), false, config.seed()), null);
        if (losses.isEmpty() || cut[0]) return NOT_MEASURED;
        double tail = losses.subList(Math.max(0, losses.size() - TAIL), losses.size()).stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        return new double[] {losses.getFirst(), tail};
    }

    private static int[] firstIndices(int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) out[i] = i;
        return out;
    }
}
