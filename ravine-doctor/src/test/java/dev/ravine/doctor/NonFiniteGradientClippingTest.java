package dev.ravine.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.data.DataLoader;
import dev.ravine.data.Dataset;
import dev.ravine.doctor.finding.Finding;
import dev.ravine.doctor.finding.RunFacts;
import dev.ravine.doctor.finding.Severity;
import dev.ravine.doctor.instrument.InstrumentOptions;
import dev.ravine.nn.Linear;
import dev.ravine.nn.Module;
import dev.ravine.nn.Sequential;
import dev.ravine.nn.loss.MseLoss;
import dev.ravine.optim.Chain;
import dev.ravine.optim.ClipByGlobalNorm;
import dev.ravine.optim.Optimizer;
import dev.ravine.optim.Schedule;
import dev.ravine.optim.ScaleByLearningRate;
import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Tensor;
import dev.ravine.train.StepHook;
import dev.ravine.train.Trainer;
import dev.ravine.train.TrainingOptions;
import dev.ravine.train.TrainingResult;
import dev.ravine.train.TrainingStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 14's mismatch 3 end to end: one NaN in one gradient entry at step 4 (not an instrument reading step) of a
 * global-norm-clipped run. torch's behaviour spreads it to every weight and the doctor sees the NaN at once; with
 * error_if_nonfinite the step is refused, the weights stay finite, and the doctor still names the NaN gradients.
 */
class NonFiniteGradientClippingTest {
    private static final long POISONED_STEP = 4;

    private record Run(TrainingResult result, Module model, Doctor doctor, float[] weightsBeforePoison) {}

    private static Run run(boolean errorIfNonfinite) {
        return run(errorIfNonfinite, false);
    }

    private static Run run(boolean errorIfNonfinite, boolean traced) {
        Rng rng = new Rng(3);
        float[] x = new float[60 * 6], y = new float[60];
        for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextGaussian();
        for (int i = 0; i < y.length; i++) y[i] = (float) rng.nextGaussian();
        Module model = new Sequential(new Linear(6, 4, true, rng), new Linear(4, 1, true, rng));
        Optimizer sgd = Optimizer.of(model.namedParameters(),
                Chain.of(new ClipByGlobalNorm(1.0, 2, errorIfNonfinite), new ScaleByLearningRate(Schedule.constant(0.05))));
        Trainer trainer = new Trainer(model, new MseLoss(), sgd, rng, TrainingOptions.epochs(3));
        float[][] before = new float[1][];
        trainer.addStepHook(new StepHook() {
            @Override
            public void afterBackward(Trainer t) {
                if (t.optimizer().stepCount() + 1 != POISONED_STEP) return;
                before[0] = t.model().namedParameters().get("0.weight").values().clone();
                t.model().namedParameters().get("1.bias").grad().storage()[0] = Float.NaN;
            }
        });
        Doctor doctor = new Doctor(InstrumentOptions.defaults(), Doctor.standardDetectors(),
                new RunFacts(0.05, "sgd", 0, List.of("linear", "linear")), 100);
        if (traced) doctor.traceNonFinite();
        trainer.addListener(doctor);
        TrainingResult r = trainer.fit(new DataLoader(Dataset.regression(x, new int[] {6}, y, new int[] {1}), 10, true, false, 1), null);
        return new Run(r, model, doctor, before[0]);
    }

    private static Finding exploding(Doctor doctor) {
        return doctor.findings().stream().filter(f -> f.id().equals("exploding_gradients")).findFirst().orElseThrow(
                () -> new AssertionError("no exploding_gradients finding: " + doctor.findings()));
    }

    @Test
    void aNaNGradientReachesEveryWeightAndTheDoctor() {
        Run run = run(false);
        assertEquals(TrainingStatus.DIVERGED, run.result().status(), run.result().reason());
        // torch's clip_grad_norm_ scales every gradient by the NaN factor: not one weight of the first layer, which
        // held no NaN gradient, is left finite (before the fix the NaN stayed in the one bias entry)
        for (Tensor p : run.model().parameters()) {
            for (float v : p.values()) assertTrue(Float.isNaN(v), "a weight kept its value after the NaN step: " + v);
        }
        Finding f = exploding(run.doctor());
        assertEquals(Severity.BLOCKING, f.severity());
        assertEquals(POISONED_STEP + 1, f.firstStep(), "the NaN loss of the step after the NaN update: " + f.evidence());
    }

    @Test
    void errorIfNonfiniteRefusesTheStepAndTheDoctorNamesTheLayer() {
        Run run = run(true);
        assertEquals(TrainingStatus.DIVERGED, run.result().status());
        assertTrue(run.result().reason().contains("refused step " + POISONED_STEP) && run.result().reason().contains("error_if_nonfinite"),
                run.result().reason());
        // the refused step wrote nothing: the weights are those from before it
        float[] w = run.model().namedParameters().get("0.weight").values();
        for (int i = 0; i < w.length; i++) assertEquals(run.weightsBeforePoison()[i], w[i], 0f);
        Finding f = exploding(run.doctor());
        assertEquals(Severity.BLOCKING, f.severity());
        assertEquals(POISONED_STEP, f.firstStep());
        assertEquals(List.of("1"), f.layers(), "the layer whose gradient held the NaN: " + f.evidence());
    }

    @Test
    void theTraceNamesTheGradientThatCameInAndTheClippingThatSpreadIt() {
        Run run = run(false, true);
        var p = run.doctor().provenance().orElseThrow();
        assertEquals(POISONED_STEP, p.originStep(), p::toString);
        assertEquals("input", p.phase());
        assertEquals("1.bias", p.parameter(), "the one gradient entry made NaN outside the ops");
        assertTrue(p.detail().contains("no op's backward made it"), p.detail());
        assertTrue(p.detail().contains("clip.global_norm then saw a total gradient norm of NaN and scaled every gradient by it"), p.detail());
        assertTrue(exploding(run.doctor()).evidence().containsAll(p.evidence()), "the NaN's finding carries it");
    }
}
