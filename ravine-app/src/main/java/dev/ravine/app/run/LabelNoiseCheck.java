package dev.ravine.app.run;

import dev.ravine.data.Dataset;
import dev.ravine.doctor.Doctor;
import dev.ravine.doctor.detect.ConfidentLearning;
import dev.ravine.doctor.detect.LabelNoiseDiagnosis;
import dev.ravine.doctor.detect.RunRecord;
import dev.ravine.train.TrainingResult;
import java.util.Set;

/**
 * The end-of-run label-noise check ({@link LabelNoiseDiagnosis}) of a classification. Confident learning needs
 * out-of-sample class probabilities; these come from the data itself, not from the run's model: leave-one-out
 * {@value #K}-nearest-neighbour votes over (at most {@value #MAX_SAMPLES} of) the training samples, each feature
 * standardized. Not the model's, because a model that cannot fit the data (model bias, an overfitted one on its
 * validation set) contradicts its labels as confidently as noise does, where the neighbours of a sample agree with
 * its label unless the label is wrong. Only with at least {@value #MIN_PER_CLASS} samples per class, and when the run's
 * dynamics raised no problem of their own. Costs one pairwise
 * distance pass, O(n^2 d), and a bounded selection of the K nearest (O(n^2 K) at worst, no sort).
 */
final class LabelNoiseCheck {
    /** Findings that leave the labels open as the explanation of a loss that stayed high. */
    static final Set<String> COMPATIBLE = Set.of("model_bias", "optimization_issue", "loss_stuck_at_chance", "overfitting");
    static final int K = 15;
    static final int MAX_SAMPLES = 1500;
    static final int MIN_PER_CLASS = 50;

    private LabelNoiseCheck() {}

    static void run(Dataset train, Doctor doctor) {
        run(train, doctor, LabelNoiseDiagnosis.HeldOut.NONE, RunRecord.UNKNOWN);
    }

    /**
     * @param heldOut the run's final training and held-out accuracy against chance (labels that carry no information)
     * @param outcome the finished run's training loss against the prior's (a model that fits its labels refutes noise)
     */
    static void run(Dataset train, Doctor doctor, LabelNoiseDiagnosis.HeldOut heldOut, RunRecord outcome) {
        // Neighbour votes need neighbours: with few samples per class a sample's K nearest reach into other classes.
        if (!train.isClassification() || train.size() < MIN_PER_CLASS * train.numClasses()) return;
        boolean otherProblem = doctor.findings().stream().anyMatch(f -> f.severity() != dev.ravine.doctor.finding.Severity.INFO && !COMPATIBLE.contains(f.id()));
        if (otherProblem) return;
        int n = Math.min(train.size(), MAX_SAMPLES), classes = train.numClasses();
        int[] labels = java.util.Arrays.copyOf(train.labels(), n);
        float[][] probabilities = neighbourVotes(standardized(train, n), labels, classes);
        ConfidentLearning cl = ConfidentLearning.estimate(probabilities, labels, classes);
        String source = "leave-one-out votes of each sample's " + K + " nearest neighbours among " + n + " training samples (standardized features)";
        LabelNoiseDiagnosis.defaults().decide(cl, n, source, heldOut, outcome).ifPresent(doctor::record);
    }

    /**
     * The run's last epoch's training accuracy and its held-out accuracy, against chance on the held-out set (the share
     * of its most frequent class, what a constant guess scores; NaN without validation data), and its first epoch's running
     * training accuracy, its accuracy on samples not yet trained on (NONE for a run with no epoch).
     */
    static LabelNoiseDiagnosis.HeldOut heldOut(TrainingResult result, Dataset validation) {
        if (result.history().isEmpty()) return LabelNoiseDiagnosis.HeldOut.NONE;
        // the first epoch scores each batch before training on it: the run's accuracy on samples it had not seen
        double unseen = result.history().getFirst().trainAccuracy();
        if (validation == null || !validation.isClassification() || validation.size() == 0) {
            return new LabelNoiseDiagnosis.HeldOut(Double.NaN, Double.NaN, Double.NaN, unseen);
        }
        int[] counts = new int[validation.numClasses()];
        for (int label : validation.labels()) counts[label]++;
        double chance = (double) java.util.Arrays.stream(counts).max().orElse(0) / validation.size();
        return new LabelNoiseDiagnosis.HeldOut(result.history().getLast().trainAccuracy(), result.valAccuracy(), chance, unseen);
    }

    private static float[][] standardized(Dataset d, int n) {
        int f = d.sampleSize();
        float[] x = d.features();
        float[][] out = new float[n][f];
        for (int j = 0; j < f; j++) {
            double sum = 0, sumSq = 0;
            for (int s = 0; s < n; s++) {
                double v = x[s * f + j];
                sum += v;
                sumSq += v * v;
            }
            double mean = sum / n, std = Math.sqrt(Math.max(0, sumSq / n - mean * mean));
            for (int s = 0; s < n; s++) out[s][j] = std > 1e-12 ? (float) ((x[s * f + j] - mean) / std) : 0f;
        }
        return out;
    }

    /** Per sample, the share of each class among its K nearest other samples (squared Euclidean distance). */
    private static float[][] neighbourVotes(float[][] x, int[] labels, int classes) {
        float[][] votes = new float[x.length][classes];
        for (int s = 0; s < x.length; s++) for (int t : nearest(x, s, K)) votes[s][labels[t]] += 1f / K;
        return votes;
    }

    /**
     * The (at most) k samples nearest to sample s, nearest first, kept in a sorted array of k as the distances come: a
     * candidate no nearer than the k-th is dropped with one comparison, so a sample costs O(n d + n k) instead of a sort
     * of all n. Among equal distances the lower index comes first, as a stable sort of the indices orders them.
     */
    static int[] nearest(float[][] x, int s, int k) {
        int n = x.length, size = Math.min(k, n - 1), found = 0;
        double[] nearest = new double[size];
        int[] index = new int[size];
        for (int t = 0; t < n && size > 0; t++) {
            if (t == s) continue;
            double d = 0;
            for (int j = 0; j < x[s].length; j++) {
                double diff = x[s][j] - x[t][j];
                d += diff * diff;
            }
            if (found == size && !(d < nearest[size - 1])) continue;
            int at = found == size ? size - 1 : found++;
            while (at > 0 && nearest[at - 1] > d) {
                nearest[at] = nearest[at - 1];
                index[at] = index[at - 1];
                at--;
            }
            nearest[at] = d;
            index[at] = t;
        }
        return index;
    }
}
