package dev.ravine.app.run;

import dev.ravine.app.build.BuiltModel;
import dev.ravine.app.build.ModelBuilder;
import dev.ravine.app.config.LayerConfig;
import dev.ravine.app.config.RunConfig;
import dev.ravine.data.DataLoader;
import dev.ravine.data.Dataset;
import dev.ravine.doctor.Doctor;
import dev.ravine.doctor.detect.TrainingLossDiagnosis;
import dev.ravine.nn.loss.Loss;
import dev.ravine.tensor.Rng;
import dev.ravine.train.BatchEvent;
import dev.ravine.train.Trainer;
import dev.ravine.train.TrainingListener;
import dev.ravine.train.TrainingOptions;
import dev.ravine.train.TrainingResult;
import java.util.ArrayList;
import java.util.List;

/**
 * The end-of-run check of a training loss that stayed high ({@link TrainingLossDiagnosis}): trains a shallower and a
 * wider reference network ({@link ReferenceModels}) from fresh weights for a short budget (the run's steps, at most
 * {@value #BUDGET} steps) with the run's optimizer settings, and the model itself on {@value #SUBSET} samples, then
 * lets the rule decide between model_bias and optimization_issue. Costs nothing when the loss fell as it should.
 */
final class TrainingLossCheck {
    static final int BUDGET = 200;
    static final int SUBSET = 64;
    /** Losses averaged at the end of each reference run (a single batch's loss is noisy). */
    static final int TAIL = 10;

    private TrainingLossCheck() {}

    static void run(RunConfig config, BuiltModel model, Dataset train, TrainingResult result, Doctor doctor) {
        TrainingLossDiagnosis rule = TrainingLossDiagnosis.defaults();
        double runLoss = result.trainLoss();
        double firstLoss = doctor.instruments().history().stream().mapToDouble(r -> r.loss()).filter(Double::isFinite).findFirst().orElse(Double.NaN);
        if (!rule.isHigh(runLoss, firstLoss)) return;
        long budget = Math.min(result.steps(), BUDGET);
        List<LayerConfig> layers = config.model().layers();
        double shallower = reference(config, ReferenceModels.shallower(layers), model, train, budget)[1];
        double wider = reference(config, ReferenceModels.wider(layers), model, train, budget)[1];
        Dataset subset = train.subset(firstIndices(Math.min(SUBSET, train.size())));
        double[] fit = reference(config, layers, model, subset, BUDGET);
        rule.decide(new TrainingLossDiagnosis.Measurements(runLoss, firstLoss, shallower, wider, fit[1], fit[0], subset.size(), budget,
                result.steps())).ifPresent(doctor::record);
    }

    /** {first loss, mean of the last losses} of a fresh network trained for {@code steps}; NaNs without layers. */
    private static double[] reference(RunConfig config, List<LayerConfig> layers, BuiltModel model, Dataset data, long steps) {
        if (layers == null) return new double[] {Double.NaN, Double.NaN};
        Rng rng = new Rng(config.seed());
        BuiltModel net = ModelBuilder.build(layers, model.inputShape(), rng);
        Trainer trainer = new Trainer(net.network(), config.lossOptions().resolved(data).create(), config.optimizer().create(net.network().namedParameters()), rng,
                TrainingOptions.epochs(Integer.MAX_VALUE));
        List<Double> losses = new ArrayList<>();
        trainer.addListener(new TrainingListener() {
            @Override
            public void onBatchEnd(Trainer t, BatchEvent e) {
                losses.add(e.loss());
                if (losses.size() >= steps) t.requestStop("budget");
            }
        });
        int batch = Math.min(config.training().batchSize(), data.size());
        trainer.fit(new DataLoader(data, batch, true, false, config.seed()), null);
        if (losses.isEmpty()) return new double[] {Double.NaN, Double.NaN};
        double tail = losses.subList(Math.max(0, losses.size() - TAIL), losses.size()).stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        return new double[] {losses.getFirst(), tail};
    }

    private static int[] firstIndices(int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) out[i] = i;
        return out;
    }
}
