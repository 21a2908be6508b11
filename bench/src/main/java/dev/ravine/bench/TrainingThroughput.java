package dev.ravine.bench;

import dev.ravine.data.Dataset;
import dev.ravine.kernel.ComputePool;
import dev.ravine.kernel.Gemm;
import dev.ravine.nn.Activation;
import dev.ravine.nn.Conv2d;
import dev.ravine.nn.Flatten;
import dev.ravine.nn.Linear;
import dev.ravine.nn.MaxPool2d;
import dev.ravine.nn.Module;
import dev.ravine.nn.Sequential;
import dev.ravine.nn.loss.CrossEntropyLoss;
import dev.ravine.nn.loss.Loss;
import dev.ravine.optim.Optimizer;
import dev.ravine.optim.Optimizers;
import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Tensor;

/**
 * Training throughput (samples/s) of the two reference models on 28x28 inputs, batch 128, Adam: the MLP
 * 784-512-256-10 and the CNN conv32-pool-conv64-pool-128-10. Synthetic inputs: the arithmetic is the same as for
 * Fashion-MNIST, and the benchmark needs no data files. Prints one line per model, the same format as
 * bench/pytorch_peer.py, so bench/compare-training.sh can put them side by side.
 *
 * <p>Usage: TrainingThroughput [mlp|cnn|both] [measured batches]
 */
public final class TrainingThroughput {
    private static final int ROUNDS = 5;

    public static void main(String[] args) {
        String which = args.length > 0 ? args[0] : "both";
        int batches = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        System.out.printf("ravine: GEMM %s, %d threads%n", Gemm.implementation(), ComputePool.threads());
        if (!which.equals("cnn")) report("mlp", mlp(new Rng(1)), 1, batches > 0 ? batches : 100);
        if (!which.equals("mlp")) report("cnn", cnn(new Rng(1)), 1, batches > 0 ? batches : 30);
    }

    /** 25,600 Gaussian 28x28 images with uniform labels over 10 classes (seed 3): 200 batches of 128 for the doctor's benches. */
    static Dataset syntheticDigits() {
        Rng data = new Rng(3);
        int n = 128 * 200;
        float[] x = new float[n * 784];
        int[] y = new int[n];
        for (int i = 0; i < x.length; i++) x[i] = (float) data.nextGaussian();
        for (int i = 0; i < n; i++) y[i] = data.nextInt(10);
        return Dataset.classification(x, new int[] {1, 28, 28}, y, 10);
    }

    static Module mlp(Rng rng) {
        return new Sequential(new Flatten(), new Linear(784, 512, true, rng), Activation.relu(), new Linear(512, 256, true, rng),
                Activation.relu(), new Linear(256, 10, true, rng));
    }

    static Module cnn(Rng rng) {
        return new Sequential(new Conv2d(1, 32, 3, 1, 1, true, rng, null), Activation.relu(), new MaxPool2d(2, 2, 0),
                new Conv2d(32, 64, 3, 1, 1, true, rng, null), Activation.relu(), new MaxPool2d(2, 2, 0), new Flatten(),
                new Linear(64 * 7 * 7, 128, true, rng), Activation.relu(), new Linear(128, 10, true, rng));
    }

    static void report(String name, Module model, int channels, int measured) {
        int batch = 128;
        Rng rng = new Rng(2);
        Tensor x = Tensor.normal(rng, 0, 1, batch, channels, 28, 28);
        float[] labels = new float[batch];
        for (int i = 0; i < batch; i++) labels[i] = rng.nextInt(10);
        Tensor y = Tensor.of(labels, batch);
        Loss loss = new CrossEntropyLoss();
        Optimizer opt = Optimizers.adam(model.namedParameters(), 1e-3);
        int warmup = Math.max(5, measured / 4);
        for (int i = 0; i < warmup; i++) step(model, loss, opt, x, y);
        // Five rounds, median reported: a shared 2-core machine is noisy, one timing is not a figure.
        double[] rates = new double[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < measured; i++) step(model, loss, opt, x, y);
            rates[r] = measured * batch / ((System.nanoTime() - t0) * 1e-9);
        }
        double[] sorted = rates.clone();
        java.util.Arrays.sort(sorted);
        System.out.printf("%s: %.0f samples/s (median of %d rounds of %d batches of %d; min %.0f, max %.0f)%n", name, sorted[ROUNDS / 2],
                ROUNDS, measured, batch, sorted[0], sorted[ROUNDS - 1]);
    }

    private static void step(Module model, Loss loss, Optimizer opt, Tensor x, Tensor y) {
        Tensor l = loss.compute(model.call(x), y);
        opt.zeroGrad();
        l.backward();
        opt.step();
    }
}
