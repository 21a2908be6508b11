package dev.ravine.app.sweep;

import java.util.List;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * The mean of a metric over a combination's seeds and its 95% confidence interval, mean ± t(0.975, n-1)·s/√n with
 * Student's t (few seeds: the normal 1.96 would claim too narrow an interval). NaN values (a trial without the
 * metric, or one stopped early) are left out; with fewer than two values there is no interval (half-width NaN).
 */
public record SeedStatistics(int n, double mean, double halfWidth) {

    public static SeedStatistics of(List<Double> values) {
        double[] v = values.stream().filter(x -> x != null && Double.isFinite(x)).mapToDouble(Double::doubleValue).toArray();
        int n = v.length;
        if (n == 0) return new SeedStatistics(0, Double.NaN, Double.NaN);
        double mean = 0;
        for (double x : v) mean += x;
        mean /= n;
        if (n < 2) return new SeedStatistics(n, mean, Double.NaN);
        double ss = 0;
        for (double x : v) ss += (x - mean) * (x - mean);
        double sd = Math.sqrt(ss / (n - 1));
        double t = new TDistribution(n - 1).inverseCumulativeProbability(0.975);
        return new SeedStatistics(n, mean, t * sd / Math.sqrt(n));
    }
}
