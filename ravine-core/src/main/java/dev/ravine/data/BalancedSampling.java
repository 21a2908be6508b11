package dev.ravine.data;

import dev.ravine.tensor.Rng;

/**
 * The epoch order of a class-balanced sampler (torch's WeightedRandomSampler with weight 1 / count(class) per sample
 * and replacement): each of the epoch's {@code size} draws picks a class uniformly, in effect, and then one of its
 * samples, so a rare class appears as often as a common one. Samples of a rare class repeat within an epoch; samples
 * of a common one may be left out.
 */
final class BalancedSampling {
    private BalancedSampling() {}

    static int[] order(Dataset data, Rng rng) {
        if (!data.isClassification()) {
            throw new IllegalArgumentException("a balanced sampler draws by class, but this data set has regression targets; "
                    + "use the default sampler");
        }
        int[] counts = data.classCounts();
        int n = data.size();
        // cumulative weights over samples: weight 1/count of the sample's class
        double[] cumulative = new double[n];
        double total = 0;
        for (int i = 0; i < n; i++) {
            total += 1.0 / counts[data.label(i)];
            cumulative[i] = total;
        }
        int[] order = new int[n];
        for (int k = 0; k < n; k++) order[k] = search(cumulative, rng.nextDouble() * total);
        return order;
    }

    /** The first index whose cumulative weight exceeds {@code u}. */
    private static int search(double[] cumulative, double u) {
        int lo = 0, hi = cumulative.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] > u) hi = mid;
            else lo = mid + 1;
        }
        return lo;
    }
}
