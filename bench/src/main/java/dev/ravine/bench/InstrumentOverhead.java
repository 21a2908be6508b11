package dev.ravine.bench;

import dev.ravine.data.DataLoader;
import dev.ravine.data.Dataset;
import dev.ravine.doctor.instrument.InstrumentOptions;
import dev.ravine.doctor.instrument.InstrumentPanel;
import dev.ravine.nn.Module;
import dev.ravine.nn.loss.CrossEntropyLoss;
import dev.ravine.optim.Optimizers;
import dev.ravine.tensor.Rng;
import dev.ravine.train.Trainer;
import dev.ravine.train.TrainingOptions;
import dev.ravine.train.TrainingResult;

/**
 * The doctor's instrument cost on the MLP 784-512-256-10 (batch 128, Adam): the same training with and without the
 * InstrumentPanel, alternated over several rounds, reporting the median step time of each and the overhead in %.
 * Synthetic inputs, as TrainingThroughput. Usage: InstrumentOverhead [every (10)] [paired rounds (15)]
 */
public final class InstrumentOverhead {
    public static void main(String[] args) {
        int every = args.length > 0 ? Integer.parseInt(args[0]) : InstrumentOptions.defaults().every();
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        Dataset set = TrainingThroughput.syntheticDigits();
        for (int warmup = 0; warmup < 2; warmup++) {
            secondsPerStep(set, null);
            secondsPerStep(set, new InstrumentPanel(new InstrumentOptions(every, 20)));
        }
        // Paired rounds: each instrumented round is compared with the plain round just before it, so slow drifts of the
        // machine (frequency, other tenants of a VM) cancel; the median of the paired ratios is the overhead.
        double[] plain = new double[rounds], instrumented = new double[rounds], ratio = new double[rounds];
        for (int round = 0; round < rounds; round++) {
            plain[round] = secondsPerStep(set, null);
            instrumented[round] = secondsPerStep(set, new InstrumentPanel(new InstrumentOptions(every, 20)));
            ratio[round] = instrumented[round] / plain[round];
        }
        java.util.Arrays.sort(plain);
        java.util.Arrays.sort(instrumented);
        java.util.Arrays.sort(ratio);
        double p = plain[rounds / 2], q = instrumented[rounds / 2];
        System.out.printf("mlp step: %.3f ms plain, %.3f ms instrumented (every %d steps, %d paired rounds): overhead %.1f%% "
                + "(median of paired ratios; quartiles %.1f%% to %.1f%%)%n", p * 1e3, q * 1e3, every, rounds,
                100 * (ratio[rounds / 2] - 1), 100 * (ratio[rounds / 4] - 1), 100 * (ratio[3 * rounds / 4] - 1));
    }

    private static double secondsPerStep(Dataset set, InstrumentPanel panel) {
        Rng rng = new Rng(1);
        Module model = TrainingThroughput.mlp(rng);
        Trainer trainer = new Trainer(model, new CrossEntropyLoss(), Optimizers.adam(model.namedParameters(), 1e-3), rng, TrainingOptions.epochs(1));
        if (panel != null) trainer.addListener(panel);
        TrainingResult r = trainer.fit(new DataLoader(set, 128, true, true, 1), null);
        return 128 / r.samplesPerSecond();
    }
}
