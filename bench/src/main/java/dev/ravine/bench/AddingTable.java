package dev.ravine.bench;

import dev.ravine.data.AddingProblem;
import dev.ravine.data.Batch;
import dev.ravine.data.DataLoader;
import dev.ravine.data.Dataset;
import dev.ravine.nn.Gru;
import dev.ravine.nn.Linear;
import dev.ravine.nn.Lstm;
import dev.ravine.nn.Module;
import dev.ravine.nn.Rnn;
import dev.ravine.nn.Sequential;
import dev.ravine.nn.loss.MseLoss;
import dev.ravine.optim.Optimizers;
import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Tensor;
import dev.ravine.train.Trainer;
import dev.ravine.train.TrainingOptions;

/**
 * The adding-problem table of note 003 (issue 5): a vanilla tanh RNN, an LSTM and a GRU (one layer, 32 units, then a
 * linear read-out of the last step) trained on the adding problem at each sequence length with the same budget
 * (samples, epochs, Adam lr 0.005, batch 50, seed), reporting
 * <ul>
 *   <li>the final test MSE against the 1/6 = 0.167 of always predicting the mean;</li>
 *   <li>the gradient norm of the loss with respect to the first time step's input, ||dL/dx_1||, and to the last
 *       step's, ||dL/dx_T||, at initialization and after training, with L the mean squared error over 100 test
 *       sequences: their ratio is how much of the error signal reaches the start of the sequence.</li>
 * </ul>
 * Usage: AddingTable [train samples (2000)] [epochs (5)] [lengths (50,200)] [cells (rnn,lstm,gru; also lstm_fb1: forget bias 1)]
 */
public final class AddingTable {
    private static final int HIDDEN = 32, BATCH = 50, PROBE = 100;
    private static final double LR = 0.005;

    public static void main(String[] args) {
        int samples = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        String lengths = args.length > 2 ? args[2] : "50,200";
        String[] cells = (args.length > 3 ? args[3] : "rnn,lstm,gru").split(",");
        System.out.printf("adding problem: %d training sequences, %d epochs, batch %d, adam lr %s, hidden %d, test 1,000 sequences%n",
                samples, epochs, BATCH, LR, HIDDEN);
        System.out.println("| cell | length | test MSE | vs 0.167 | init ||dL/dx_1|| | init ||dL/dx_T|| | init ratio "
                + "| end ||dL/dx_1|| | end ||dL/dx_T|| | end ratio | seconds |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        for (String l : lengths.split(",")) {
            int length = Integer.parseInt(l.trim());
            Dataset train = AddingProblem.generate(samples, length, 1);
            Dataset test = AddingProblem.generate(1000, length, 2);
            for (String cell : cells) row(cell.trim(), length, train, test, epochs);
        }
    }

    private static void row(String cell, int length, Dataset train, Dataset test, int epochs) {
        long start = System.nanoTime();
        Rng rng = new Rng(1);
        Module recurrent = switch (cell) {
            case "rnn" -> new Rnn(2, HIDDEN, 1, false, true, rng);
            case "lstm" -> new Lstm(2, HIDDEN, 1, false, true, rng);
            // The same LSTM with its forget-gate bias at 1 (Jozefowicz et al. 2015) instead of PyTorch's random init.
            case "lstm_fb1" -> new Lstm(2, HIDDEN, 1, false, true, rng).withForgetBias(1.0);
            case "gru" -> new Gru(2, HIDDEN, 1, false, true, rng);
            default -> throw new IllegalArgumentException("unknown cell '" + cell + "'; valid: rnn, lstm, lstm_fb1, gru");
        };
        Module model = new Sequential(recurrent, new Linear(HIDDEN, 1, true, rng));
        Batch probe = new DataLoader(test, PROBE, false, false, 1).epoch(0).iterator().next();
        double[] before = edgeGradientNorms(model, probe, length);
        Trainer trainer = new Trainer(model, new MseLoss(), Optimizers.adam(model.namedParameters(), LR), rng,
                TrainingOptions.epochs(epochs));
        trainer.fit(new DataLoader(train, BATCH, true, false, 1), null);
        double mse = trainer.evaluate(new DataLoader(test, 500, false, false, 1)).loss();
        double[] after = edgeGradientNorms(model, probe, length);
        System.out.printf("| %s | %d | %.4f | %.2fx | %.2e | %.2e | %.1e | %.2e | %.2e | %.1e | %.0f |%n", cell, length, mse,
                mse / AddingProblem.BASELINE_MSE, before[0], before[1], before[0] / before[1], after[0], after[1],
                after[0] / after[1], (System.nanoTime() - start) / 1e9);
    }

    /** ||dL/dx_1|| and ||dL/dx_T|| over the probe batch [B, T, 2], L its mean squared error. */
    private static double[] edgeGradientNorms(Module model, Batch probe, int length) {
        Tensor x = Tensor.of(probe.inputs().toArray(), probe.inputs().shape()).requiresGrad(true);
        Tensor loss = new MseLoss().compute(model.call(x), probe.targets());
        loss.backward();
        float[] g = x.grad().toArray();
        model.zeroGrad();
        int b = probe.size();
        double first = 0, last = 0;
        for (int n = 0; n < b; n++) {
            for (int f = 0; f < 2; f++) {
                double g1 = g[(n * length) * 2 + f], gT = g[(n * length + length - 1) * 2 + f];
                first += g1 * g1;
                last += gT * gT;
            }
        }
        return new double[] {Math.sqrt(first), Math.sqrt(last)};
    }
}
