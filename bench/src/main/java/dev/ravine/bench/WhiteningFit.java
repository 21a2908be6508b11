package dev.ravine.bench;

import dev.ravine.data.Dataset;
import dev.ravine.data.IdxReader;
import dev.ravine.data.Normalizer;
import java.nio.file.Path;

/**
 * Wall time of fitting and applying the PCA normalizers on MNIST (784 features), and how many principal directions
 * the default whitening epsilon leaves near unit variance. Usage: WhiteningFit [IDX_PREFIX [epsilon]] (default
 * data/mnist-10k/train, Normalizer.DEFAULT_WHITEN_EPSILON). Each kind is fitted three times; the first fit includes
 * JIT warm-up, so both the first and the best are printed.
 */
public final class WhiteningFit {
    private WhiteningFit() {}

    public static void main(String[] args) {
        Path prefix = Path.of(args.length >= 1 ? args[0] : "data/mnist-10k/train");
        double epsilon = args.length >= 2 ? Double.parseDouble(args[1]) : Normalizer.DEFAULT_WHITEN_EPSILON;
        Dataset train = IdxReader.read(prefix);
        System.out.printf("%s: %d samples of %d features, whiten_epsilon %s%n", prefix, train.size(), train.sampleSize(), epsilon);
        for (Normalizer.Kind kind : new Normalizer.Kind[] {Normalizer.Kind.PCA, Normalizer.Kind.PCA_WHITEN, Normalizer.Kind.ZCA_WHITEN}) {
            double first = 0, best = Double.MAX_VALUE;
            Normalizer fitted = null;
            for (int round = 0; round < 3; round++) {
                long start = System.nanoTime();
                fitted = Normalizer.fit(kind, train, epsilon);
                double seconds = (System.nanoTime() - start) / 1e9;
                if (round == 0) first = seconds;
                best = Math.min(best, seconds);
            }
            long start = System.nanoTime();
            Dataset out = fitted.apply(train);
            double apply = (System.nanoTime() - start) / 1e9;
            System.out.printf("%-10s fit %.2f s (first %.2f s), apply to the training set %.2f s%n", kind.id(), best, first, apply);
            if (kind == Normalizer.Kind.PCA) printSpectrum(out, epsilon);
        }
    }

    /** The PCA outputs' variances are the covariance eigenvalues: how many exceed eps = epsilon * their mean. */
    private static void printSpectrum(Dataset rotated, double epsilon) {
        int d = rotated.sampleSize(), n = rotated.size();
        float[] y = rotated.features();
        double[] variance = new double[d];
        for (int s = 0; s < n; s++) for (int k = 0; k < d; k++) variance[k] += (double) y[s * d + k] * y[s * d + k] / n;
        double mean = 0;
        for (double v : variance) mean += v / d;
        double eps = epsilon * mean;
        int above = 0, tenfold = 0;
        for (double v : variance) {
            if (v > eps) above++;
            if (v > 10 * eps) tenfold++;
        }
        System.out.printf("eigenvalues: largest %.1f, mean %.2f; eps = %.2f; %d of %d directions above eps, %d above 10 eps%n",
                variance[0], mean, eps, above, d, tenfold);
    }
}
