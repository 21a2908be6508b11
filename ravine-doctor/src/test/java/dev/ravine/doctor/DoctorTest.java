package dev.ravine.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.data.DataLoader;
import dev.ravine.data.Dataset;
import dev.ravine.data.GaussianBlobs;
import dev.ravine.doctor.finding.Finding;
import dev.ravine.doctor.finding.RunFacts;
import dev.ravine.doctor.finding.Severity;
import dev.ravine.doctor.instrument.InstrumentOptions;
import dev.ravine.init.Init;
import dev.ravine.nn.Activation;
import dev.ravine.nn.Linear;
import dev.ravine.nn.Module;
import dev.ravine.nn.Sequential;
import dev.ravine.nn.loss.CrossEntropyLoss;
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

/** Real runs that fail the way the notes describe, and the finding the doctor names for each. */
class DoctorTest {
    static Dataset blobs(int n, long seed) {
        return GaussianBlobs.generate(n, seed);
    }

    @Test
    void aDeepSigmoidNetWithSmallWeightsHasVanishingGradients() {
        Rng rng = new Rng(1);
        List<Module> layers = new ArrayList<>();
        List<String> kinds = new ArrayList<>();
        int width = 6;
        for (int i = 0; i < 8; i++) {
            Linear l = new Linear(width, 16, true, rng);
            Init.normal(l.weight(), rng, 0, 0.05); // note 003: small random weights and sigmoids
            layers.add(l);
            layers.add(new Activation(Activation.Kind.SIGMOID));
            kinds.add("linear");
            kinds.add("sigmoid");
            width = 16;
        }
        layers.add(new Linear(16, 3, true, rng));
        kinds.add("linear");
        Module model = new Sequential(layers);
        Trainer trainer = new Trainer(model, new CrossEntropyLoss(), Optimizers.sgd(model.namedParameters(), 0.1), rng, TrainingOptions.epochs(2));
        Doctor doctor = new Doctor(new InstrumentOptions(5, 10), Doctor.standardDetectors(), new RunFacts(0.1, "sgd", 3, kinds), 200);
        List<String> opened = new ArrayList<>();
        doctor.addFindingListener(f -> opened.add(f.id()));
        trainer.addListener(doctor);
        trainer.fit(new DataLoader(blobs(400, 2), 20, true, false, 3), null);
        assertTrue(opened.contains("vanishing_gradients"), "findings: " + opened);
        Finding f = doctor.findings().stream().filter(x -> x.id().equals("vanishing_gradients")).findFirst().orElseThrow();
        assertEquals(List.of("0"), f.layers(), "the first layer starves");
        assertEquals("model.layers[1]: sigmoid -> relu", f.remedies().getFirst().change());
    }

    @Test
    void aNanLossIsReportedAsABlockingExplosion() {
        Rng rng = new Rng(1);
        float[] x = new float[100 * 6], y = new float[100];
        for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextGaussian();
        for (int i = 0; i < y.length; i++) y[i] = (float) rng.nextGaussian();
        Dataset data = Dataset.regression(x, new int[] {6}, y, new int[] {1});
        Module model = new Sequential(new Linear(6, 1, true, rng));
        Trainer trainer = new Trainer(model, new MseLoss(), Optimizers.sgd(model.namedParameters(), 10), rng, TrainingOptions.epochs(50));
        Doctor doctor = new Doctor(InstrumentOptions.defaults(), Doctor.standardDetectors(), new RunFacts(10, "sgd", 0, List.of("linear")), 100);
        trainer.addListener(doctor);
        TrainingResult r = trainer.fit(new DataLoader(data, 10, true, false, 1), null);
        assertEquals(TrainingStatus.DIVERGED, r.status());
        Finding f = doctor.findings().stream().filter(g -> g.id().equals("exploding_gradients")).findFirst().orElseThrow();
        assertEquals(Severity.BLOCKING, f.severity());
        // open since the gradient norm passed 1e6 (or, at the latest, the step whose loss was not finite), with the NaN as evidence
        assertTrue(f.firstStep() <= r.steps() + 1, f::toString);
        assertTrue(f.evidence().getFirst().startsWith("step " + (r.steps() + 1) + ": loss "), f.evidence()::toString);
        assertTrue(f.remedies().getFirst().change().startsWith("clip.global_norm"));
    }

    @Test
    void aHealthyRunOpensNoFinding() {
        Rng rng = new Rng(5);
        Module model = new Sequential(new Linear(6, 16, true, rng), Activation.relu(), new Linear(16, 3, true, rng));
        Trainer trainer = new Trainer(model, new CrossEntropyLoss(), Optimizers.adam(model.namedParameters(), 0.01), rng, TrainingOptions.epochs(3));
        Doctor doctor = new Doctor(InstrumentOptions.defaults(), Doctor.standardDetectors(), new RunFacts(0.01, "adam", 3, List.of("linear", "relu", "linear")), 200);
        trainer.addListener(doctor);
        trainer.fit(new DataLoader(blobs(600, 6), 32, true, false, 3), null);
        assertEquals(List.of(), doctor.findings());
    }

    @Test
    void aLearningRateAboveTheStabilityLimitOpensLrTooHigh() {
        Rng rng = new Rng(3);
        int n = 200;
        float[] x = new float[n * 6], y = new float[n];
        for (int i = 0; i < n; i++) {
            double t = 0;
            for (int j = 0; j < 6; j++) {
                x[i * 6 + j] = (float) rng.nextGaussian();
                t += (j + 1) * 0.3 * x[i * 6 + j];
            }
            y[i] = (float) (t + 0.1 * rng.nextGaussian());
        }
        Dataset data = Dataset.regression(x, new int[] {6}, y, new int[] {1});
        Module model = new Sequential(new Linear(6, 1, true, rng));
        // MSE's Hessian is about 2 E[x x^T] ~ 2 I: gradient descent is stable below lr 1; at LR the loss grows each step
        Trainer trainer = new Trainer(model, new MseLoss(), Optimizers.sgd(model.namedParameters(), LR), rng, TrainingOptions.epochs(EPOCHS));
        Doctor doctor = new Doctor(new InstrumentOptions(1, 10), Doctor.standardDetectors(), new RunFacts(LR, "sgd", 0, List.of("linear")), 100);
        List<String> opened = new ArrayList<>();
        doctor.addFindingListener(f -> opened.add(f.id()));
        trainer.addListener(doctor);
        TrainingResult r = trainer.fit(new DataLoader(data, 50, true, false, 1), null);
        assertTrue(opened.contains("lr_too_high"), "findings: " + opened + ", status " + r.status());
        assertEquals(TrainingStatus.COMPLETED, r.status(), "the loss grew but stayed finite: " + opened);
        Finding f = doctor.findings().stream().filter(g -> g.id().equals("lr_too_high")).findFirst().orElseThrow();
        assertTrue(f.remedies().getFirst().change().startsWith("optimizer.lr: " + LR + " -> "), f.remedies().toString());
    }

    static final double LR = 1.2;
    static final int EPOCHS = 5;

    @Test
    void aBigModelOnATinyTrainingSetOverfits() {
        Rng rng = new Rng(11);
        Module model = new Sequential(new Linear(6, 128, true, rng), Activation.relu(), new Linear(128, 128, true, rng), Activation.relu(),
                new Linear(128, 3, true, rng));
        Trainer trainer = new Trainer(model, new CrossEntropyLoss(), Optimizers.adam(model.namedParameters(), 0.01), rng, TrainingOptions.epochs(60));
        Doctor doctor = new Doctor(InstrumentOptions.defaults(), Doctor.standardDetectors(), new RunFacts(0.01, "adam", 3,
                List.of("linear", "relu", "linear", "relu", "linear")), 200);
        List<String> opened = new ArrayList<>();
        doctor.addFindingListener(f -> opened.add(f.id()));
        trainer.addListener(doctor);
        trainer.fit(new DataLoader(blobs(24, 12), 8, true, false, 3), new DataLoader(blobs(300, 13), 100, false, false, 3));
        assertTrue(opened.contains("overfitting"), "findings: " + opened);
        Finding f = doctor.findings().stream().filter(g -> g.id().equals("overfitting")).findFirst().orElseThrow();
        assertTrue(f.evidence().get(1).startsWith("best epoch "), f.evidence().toString());
        assertTrue(f.remedies().getFirst().change().startsWith("training.early_stopping"));
    }

    @Test
    void examineDataOpensDataFindingsBeforeTraining() {
        int n = 90;
        float[] x = new float[n * 2];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = i * 1000f;
            x[2 * i + 1] = (i % 7) * 0.01f;
            y[i] = i / 30;
        }
        Dataset data = Dataset.classification(x, new int[] {2}, y, 3);
        Doctor doctor = new Doctor(InstrumentOptions.defaults(), Doctor.standardDetectors(), new RunFacts(0.01, "sgd", 3, List.of("linear")), 100);
        List<String> opened = new ArrayList<>();
        doctor.addFindingListener(f -> opened.add(f.id()));
        doctor.examineData(data, new DataLoader(data, 10, false, false, 1));
        assertEquals(List.of("data_scale", "data_unshuffled"), opened);
        assertEquals(2, doctor.openFindings().size());
    }
}
