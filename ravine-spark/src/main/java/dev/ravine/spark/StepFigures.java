package dev.ravine.spark;

import java.io.Serializable;
import java.util.List;

/**
 * What one replica reports to the driver when it ends: its rank, rank 0's exit code, and the median step time split
 * into computation and communication (medians, because the step after an epoch's end also holds the validation pass).
 */
record StepFigures(int rank, int exitCode, int steps, double stepMillis, double communicationMillis, long floatsPerStep)
        implements Serializable {

    static StepFigures of(int rank, int exitCode, List<double[]> steps, long floatsPerStep) {
        return new StepFigures(rank, exitCode, steps.size(), median(steps, 0), median(steps, 1), floatsPerStep);
    }

    double computeMillis() {
        return stepMillis - communicationMillis;
    }

    private static double median(List<double[]> steps, int column) {
        if (steps.isEmpty()) return Double.NaN;
        double[] v = steps.stream().mapToDouble(s -> s[column]).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    @Override
    public String toString() {
        return "rank " + rank + ": " + steps + " steps, median " + fmt(stepMillis) + " ms (compute " + fmt(computeMillis())
                + " ms, all-reduce " + fmt(communicationMillis) + " ms)";
    }

    static String fmt(double ms) {
        return String.format(java.util.Locale.ROOT, "%.2f", ms);
    }

    static String describe(List<StepFigures> all) {
        return String.join("\n", all.stream().sorted((a, b) -> Integer.compare(a.rank, b.rank)).map(StepFigures::toString).toList());
    }
}
