package dev.ravine.doctor.provenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.data.DataLoader;
import dev.ravine.data.Dataset;
import dev.ravine.data.GaussianBlobs;
import dev.ravine.doctor.Doctor;
import dev.ravine.doctor.detect.RunawayGrowthDetector;
import dev.ravine.doctor.finding.Finding;
import dev.ravine.doctor.finding.RunFacts;
import dev.ravine.doctor.instrument.InstrumentOptions;
import dev.ravine.nn.Activation;
import dev.ravine.nn.Linear;
import dev.ravine.nn.Module;
import dev.ravine.nn.Sequential;
import dev.ravine.nn.loss.CrossEntropyLoss;
import dev.ravine.nn.loss.Loss;
import dev.ravine.nn.loss.MseLoss;
import dev.ravine.optim.Optimizers;
import dev.ravine.tensor.Rng;
import dev.ravine.train.Trainer;
import dev.ravine.train.TrainingOptions;
import dev.ravine.train.TrainingResult;
import dev.ravine.train.TrainingStatus;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A run that diverges to NaN, traced end to end: the replay names the op, layer and parameter, and the climb's onset. */
class NonFiniteTracerTest {
    private record Run(TrainingResult result, Doctor doctor, List<String> opened, List<NonFiniteProvenance> heard) {}

    private static Run train(Module model, double lr, Dataset data, int epochs) {
        Rng rng = new Rng(2);
        Loss loss = data.isClassification() ? new CrossEntropyLoss() : new MseLoss();
        Trainer trainer = new Trainer(model, loss, Optimizers.sgd(model.namedParameters(), lr, 0.9, 0, false, 0), rng,
                TrainingOptions.epochs(epochs));
        List<String> kinds = model.children().values().stream().map(Module::kind).toList();
        Doctor doctor = new Doctor(InstrumentOptions.defaults(), Doctor.standardDetectors(), new RunFacts(lr, "sgd", data.isClassification() ? 3 : 0, kinds), 200).traceNonFinite();
        List<String> opened = new ArrayList<>();
        doctor.addFindingListener(f -> opened.add(f.id() + "@" + f.firstStep()));
        List<NonFiniteProvenance> heard = new ArrayList<>();
        doctor.onProvenance(heard::add);
        trainer.addListener(doctor);
        TrainingResult r = trainer.fit(new DataLoader(data, 32, true, false, 1), null);
        return new Run(r, doctor, opened, heard);
    }

    private static Module mlp(long seed, int outputs) {
        Rng rng = new Rng(seed);
        return new Sequential(new Linear(6, 32, true, rng), new Activation(Activation.Kind.TANH), new Linear(32, 32, true, rng), new Activation(Activation.Kind.TANH), new Linear(32, outputs, true, rng));
    }

    /** y = sum of the features, with noise: learnable, and a learning rate far too high makes it diverge. */
    private static Dataset regression(int n, long seed) {
        Rng rng = new Rng(seed);
        float[] x = new float[n * 6], y = new float[n];
        for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextGaussian();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 6; j++) y[i] += x[i * 6 + j];
            y[i] += (float) (0.1 * rng.nextGaussian());
        }
        return Dataset.regression(x, new int[] {6}, y, new int[] {1});
    }

    @Test
    void aDivergingRunIsTracedToTheFirstOpThatOverflowedWithTheClimbBeforeIt() {
        Run run = train(mlp(1, 1), 0.3, regression(400, 1), 5);
        assertEquals(TrainingStatus.DIVERGED, run.result().status(), run.result().reason());
        long failed = run.result().steps() + 1;
        NonFiniteProvenance p = run.doctor().provenance().orElseThrow();
        assertEquals(List.of(p), run.heard(), "the sinks heard it once");
        assertEquals(failed, p.failedStep());
        assertTrue(p.reproduced(), p::toString);
        assertTrue(p.originStep() <= failed && p.originStep() > p.replayedFrom(), p::toString);
        assertTrue(List.of("forward", "backward", "update").contains(p.phase()), p::toString);
        assertTrue(p.layer().matches("model\\.layers\\[\\d\\]") || p.layer().equals("the loss") || p.phase().equals("update"), p::toString);
        assertTrue(p.parameter().matches("[024]\\.(weight|bias)(, [024]\\.(weight|bias))*") || p.layer().equals("the loss"), p::toString);
        assertTrue(p.growthStart() > 0 && p.growthStart() < failed, "the climb began before the NaN: " + p);
        // the NaN's finding carries the provenance; the tenfold growth was warned of before the NaN
        Finding nan = run.doctor().findings().stream().filter(f -> f.id().equals("exploding_gradients")).findFirst().orElseThrow();
        assertTrue(nan.evidence().containsAll(p.evidence()), nan.evidence()::toString);
        assertTrue(nan.evidence().stream().anyMatch(l -> l.startsWith("NaN origin: step " + p.originStep() + ", " + p.phase() + " " + p.op() + " in ")), nan.evidence()::toString);
        long warned = run.opened().stream().filter(o -> o.startsWith(RunawayGrowthDetector.ID + "@")).mapToLong(o -> Long.parseLong(o.substring(o.indexOf('@') + 1)))
                .findFirst().orElseThrow(() -> new AssertionError("no growth warning: " + run.opened()));
        assertTrue(warned < failed, "warned at step " + warned + ", NaN at " + failed);
    }

    @Test
    void aNaNInTheDataIsTracedToItsSamplesNotToAnOp() {
        Dataset clean = GaussianBlobs.generate(200, 3);
        float[] x = clean.features().clone();
        x[37 * GaussianBlobs.FEATURES + 2] = Float.NaN; // sample 37, feature 2
        Dataset poisoned = Dataset.classification(x, new int[] {GaussianBlobs.FEATURES}, clean.labels(), GaussianBlobs.CLASSES);
        Run run = train(mlp(4, 3), 0.05, poisoned, 2);
        assertEquals(TrainingStatus.DIVERGED, run.result().status());
        NonFiniteProvenance p = run.doctor().provenance().orElseThrow();
        assertTrue(p.fromData(), p::toString);
        assertEquals(run.result().steps() + 1, p.originStep(), "the NaN came with the failing step's batch");
        assertTrue(p.detail().startsWith("samples [37] of the training set hold 1 non-finite input values"), p.detail());
        assertTrue(p.evidence().getFirst().contains("a data problem, not an op"), p.evidence()::toString);
    }
}
