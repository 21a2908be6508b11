package dev.ravine.lab.labs;

import dev.ravine.data.Batch;
import dev.ravine.data.DataLoader;
import dev.ravine.data.Dataset;
import dev.ravine.data.GaussianInputNoise;
import dev.ravine.data.ImageAugmentation;
import dev.ravine.init.Init;
import dev.ravine.nn.Activation;
import dev.ravine.nn.Dropout;
import dev.ravine.nn.Linear;
import dev.ravine.nn.Module;
import dev.ravine.nn.Sequential;
import dev.ravine.nn.loss.CrossEntropyLoss;
import dev.ravine.nn.loss.Loss;
import dev.ravine.optim.Optimizer;
import dev.ravine.optim.OptimizerAssembly;
import dev.ravine.optim.ProximalL1;
import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Tensor;
import dev.ravine.train.AdversarialAttack;
import dev.ravine.train.AdversarialTraining;
import dev.ravine.train.EarlyStopping;
import dev.ravine.train.EpochEvent;
import dev.ravine.train.Fgsm;
import dev.ravine.train.RegularizedLoss;
import dev.ravine.train.StepHook;
import dev.ravine.train.Trainer;
import dev.ravine.train.TrainingOptions;
import dev.ravine.train.WeightNoise;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One arm of lab 12: the plain two-hidden-layer ReLU classifier, trained by plain SGD with at most one of the core's
 * regularizers switched on: an L2 penalty in the loss ({@link RegularizedLoss}), L1 as a proximal soft-threshold step
 * after each update ({@link ProximalL1}, exact zeros), dropout after each hidden layer, Gaussian input noise, weight
 * noise, random shifts of the 14 x 14 image, FGSM adversarial examples, or early stopping on the validation loss
 * (best epoch restored). Every arm sees the validation set after each epoch, so its held-out loss curve is recorded
 * whether or not it stops early.
 */
record Remedy(String key, String label, Kind kind, double strength) {
    static final double LR = 0.1;
    static final int BATCH = 20, SIDE = 14;

    /** The one regularizer an arm switches on, and what its strength means. */
    enum Kind {
        NONE, L2 /* lambda */, L1 /* lambda */, DROPOUT /* p */, INPUT_NOISE /* sigma */, WEIGHT_NOISE /* sigma */,
        SHIFT /* pixels */, FGSM /* epsilon, a fraction of the input range */, EARLY_STOPPING /* patience, epochs */
    }

    static Remedy baseline() {
        return new Remedy("baseline", "baseline", Kind.NONE, 0);
    }

    /** A trained arm: the model (best epoch restored under early stopping) and its per-epoch losses. */
    record Trained(Module model, Trainer trainer, double[] trainLoss, double[] validationLoss, int epochsRun) {}

    /** Builds the net of {@code width}, trains it for {@code epochs} on {@code train} and returns it. */
    Trained train(int width, Dataset train, Dataset validation, int epochs, long seed) {
        Rng rng = new Rng(seed);
        Module model = net(width, rng);
        Map<String, Tensor> params = model.namedParameters();
        Loss loss = kind == Kind.L2 ? new RegularizedLoss(new CrossEntropyLoss(), params, 0, strength) : new CrossEntropyLoss();
        Optimizer sgd = OptimizerAssembly.of("sgd", Map.of("lr", LR)).build(params);
        if (kind == Kind.L1) sgd.addConstraint(new ProximalL1(strength));
        Trainer trainer = new Trainer(model, loss, sgd, new Rng(seed), TrainingOptions.epochs(epochs));
        StepHook hook = hook(train, seed);
        if (hook != null) trainer.addStepHook(hook);
        EarlyStopping stopping = kind == Kind.EARLY_STOPPING ? new EarlyStopping("val_loss", EarlyStopping.Mode.MIN, (int) strength, 0, true) : null;
        if (stopping != null) trainer.addListener(stopping);
        List<EpochEvent> history = trainer.fit(new DataLoader(train, BATCH, true, false, seed),
                new DataLoader(validation, validation.size(), false, false, 0)).history();
        double[] trainLoss = new double[epochs], valLoss = new double[epochs];
        Arrays.fill(trainLoss, Double.NaN);
        Arrays.fill(valLoss, Double.NaN);
        for (int e = 0; e < history.size(); e++) {
            trainLoss[e] = history.get(e).trainLoss();
            valLoss[e] = history.get(e).valLoss();
        }
        return new Trained(model, trainer, trainLoss, valLoss, history.size());
    }

    /** 196-width-width-10 ReLU (He init), with dropout after each hidden ReLU when the arm has it. */
    private Module net(int width, Rng rng) {
        List<Module> layers = new ArrayList<>();
        int in = SIDE * SIDE;
        for (int l = 0; l < 2; l++) {
            layers.add(new Linear(in, width, true, rng, (w, r) -> Init.kaimingNormal(w, r, 0, true, "relu")));
            layers.add(new Activation(Activation.Kind.RELU));
            if (kind == Kind.DROPOUT) layers.add(new Dropout(strength, rng));
            in = width;
        }
        layers.add(new Linear(in, 10, true, rng, (w, r) -> Init.kaimingNormal(w, r, 0, true, "linear")));
        return new Sequential(layers);
    }

    /** The arm's step hook, when its remedy acts inside a training step (a changed batch or perturbed weights), else null. */
    private StepHook hook(Dataset train, long seed) {
        double[] range = AdversarialAttack.rangeOf(train.features());
        return switch (kind) {
            case SHIFT -> StepHook.of(flatShift((int) strength, (float) range[0], seed));
            case INPUT_NOISE -> StepHook.of(new GaussianInputNoise(strength, seed));
            case FGSM -> new AdversarialTraining(new Fgsm(strength * (range[1] - range[0]), range[0], range[1]), 0.5, seed);
            case WEIGHT_NOISE -> new WeightNoise(strength, seed);
            default -> null;
        };
    }

    /**
     * The core's image augmentation (shifts only) on flat 196-value samples: each batch is viewed as [batch, 1, 14, 14]
     * for the shift and flattened back. {@code black} is the standardized value of a black pixel (the smallest value
     * in the training set), so the uncovered border looks like background.
     */
    private static dev.ravine.data.BatchTransform flatShift(int pixels, float black, long seed) {
        ImageAugmentation shift = new ImageAugmentation(pixels, 0, false, new float[] {black}, seed);
        return (batch, epoch) -> {
            int n = batch.size();
            Tensor images = Tensor.of(batch.inputs().toArray(), n, 1, SIDE, SIDE);
            Batch moved = shift.apply(new Batch(images, batch.targets(), batch.labels(), batch.index(), batch.sampleIndices()), epoch);
            return new Batch(Tensor.of(moved.inputs().toArray(), n, SIDE * SIDE), batch.targets(), batch.labels(), batch.index(),
                    batch.sampleIndices());
        };
    }
}
