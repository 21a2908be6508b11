package dev.ravine.lab.net;

import dev.ravine.data.Dataset;
import dev.ravine.data.IdxReader;
import dev.ravine.data.SyntheticData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The training and test sets of the labs that train small networks: MNIST-10k digits, averaged down to 14 x 14 = 196
 * features (a quarter of the cost of 28 x 28, the same task) and standardized with the training set's mean and
 * standard deviation. Looked for in the project's shared data folder and then in the repository's {@code data/}
 * (from the repository root or a module folder); without either, Gaussian blobs in 196 dimensions stand in, and
 * {@link #source} says so on the page.
 *
 * @param source where the samples came from, in words, for the lab's method
 */
public record DigitData(Dataset train, Dataset test, String source) {
    public static final int FEATURES = 196;
    public static final int CLASSES = 10;

    private static final List<String> FOLDERS = List.of("../shared/data/mnist-10k", "../../shared/data/mnist-10k", "data/mnist-10k",
            "../data/mnist-10k");

    /** {@code trainSize} training and {@code testSize} test samples (the first ones of each file: already shuffled). */
    public static DigitData load(int trainSize, int testSize) {
        for (String folder : FOLDERS) {
            Path dir = Path.of(folder);
            if (Files.isRegularFile(dir.resolve("train-images-idx3-ubyte.gz")) && Files.isRegularFile(dir.resolve("t10k-images-idx3-ubyte.gz"))) {
                Dataset train = pooled(IdxReader.read(dir.resolve("train")), trainSize);
                Dataset test = pooled(IdxReader.read(dir.resolve("t10k")), testSize);
                return standardized(train, test, "MNIST-10k digits from " + folder + " (" + train.size() + " training samples"
                        + (test.size() > 10 ? ", " + test.size() + " test samples" : "") + ", averaged to 14 x 14 pixels)");
            }
        }
        Dataset all = SyntheticData.blobs(CLASSES, FEATURES, trainSize + testSize, 0.35, 1, false, 0, 17);
        int[] first = range(0, trainSize), rest = range(trainSize, trainSize + testSize);
        return standardized(all.subset(first), all.subset(rest), "no MNIST-10k folder was found, so 10 Gaussian blobs in 196 dimensions "
                + "stand in (" + trainSize + " training, " + testSize + " test samples)");
    }

    /** The first {@code n} images, each 28 x 28 averaged over 2 x 2 blocks into 196 values in [0, 255]. */
    private static Dataset pooled(Dataset images, int n) {
        if (n > images.size()) throw new IllegalArgumentException("asked for " + n + " samples, the file has " + images.size());
        int[] shape = images.sampleShape();
        int side = shape[shape.length - 1], half = side / 2, size = images.sampleSize();
        float[] in = images.features(), out = new float[n * half * half];
        for (int s = 0; s < n; s++) {
            for (int r = 0; r < half; r++) {
                for (int c = 0; c < half; c++) {
                    int at = s * size + 2 * r * side + 2 * c;
                    out[s * half * half + r * half + c] = (in[at] + in[at + 1] + in[at + side] + in[at + side + 1]) / 4;
                }
            }
        }
        int[] labels = java.util.Arrays.copyOf(images.labels(), n);
        return Dataset.classification(out, new int[] {half * half}, labels, images.numClasses());
    }

    /**
     * Both sets shifted and scaled by the training set's mean and standard deviation over all pixels: one scalar each,
     * since a per-pixel scale would blow up the border pixels that are almost always blank.
     */
    private static DigitData standardized(Dataset train, Dataset test, String source) {
        double sum = 0, sq = 0;
        for (float v : train.features()) {
            sum += v;
            sq += (double) v * v;
        }
        double n = train.features().length, mean = sum / n, std = Math.sqrt(Math.max(sq / n - mean * mean, 1e-12));
        return new DigitData(scaled(train, mean, std), scaled(test, mean, std), source);
    }

    private static Dataset scaled(Dataset data, double mean, double std) {
        float[] x = data.features(), out = new float[x.length];
        for (int i = 0; i < x.length; i++) out[i] = (float) ((x[i] - mean) / std);
        return Dataset.classification(out, data.sampleShape(), data.labels(), data.numClasses());
    }

    private static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) r[i] = from + i;
        return r;
    }
}
