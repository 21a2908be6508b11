package dev.ravine.doctor.detect;

import static dev.ravine.doctor.detect.Readings.fmt;

import dev.ravine.data.DataLoader;
import dev.ravine.data.Dataset;
import dev.ravine.doctor.finding.Finding;
import dev.ravine.doctor.finding.Remedies;
import dev.ravine.doctor.finding.Remedy;
import dev.ravine.doctor.finding.Severity;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks the training data before the first step (note 004's data checklist; note 001: standardize each feature).
 * Findings, all at step 0:
 * <ul>
 *   <li>{@code data_nan}: any NaN or infinite feature (or regression target): BLOCKING;</li>
 *   <li>{@code data_scale}: among non-constant features, the largest per-feature standard deviation is more than
 *       {@code scaleRatio} times the smallest; constant features (std 0) are listed in its evidence, or, when the
 *       scales are fine, reported alone as INFO under {@code data_constant} when {@code reportConstant} (off by default:
 *       images often have constant border pixels, which are harmless);</li>
 *   <li>{@code data_imbalance}: largest / smallest class count above {@code imbalanceRatio} (an empty class counts as
 *       imbalance when other classes have samples);</li>
 *   <li>{@code data_unshuffled}: in the loader's first epoch order, more than {@code singleLabelFraction} of the
 *       batches (of at least 2 samples) hold a single label, while a shuffled order would give such a batch with
 *       probability below half that fraction.</li>
 * </ul>
 * {@code data_scale} also opens, when the features share one scale, for inputs left in their raw range: a root mean
 * square over all values above {@value #RAW_RMS} (raw pixels 0..255 have about 100). Every standard initializer (He,
 * Xavier, PyTorch's default) sizes the first layer's weights for inputs of unit variance, so inputs 10x larger give
 * pre-activations 10x larger than designed: saturated sigmoids, a first step that throws the weights far away, ReLUs
 * that die under it.
 */
public record DataDiagnosis(double scaleRatio, double imbalanceRatio, double singleLabelFraction, boolean reportConstant) {
    /** Inputs whose root mean square is above this are in a raw range (see the class comment). */
    static final double RAW_RMS = 10;

    /**
     * Whether the training inputs are already standardized: every feature that varies has a mean within
     * {@value #CENTRED} of 0 and a standard deviation within {@value #CENTRED} of 1 (finite values only). A remedy that
     * asks for data.normalize: standardize is then no remedy (loss_stuck_at_chance used to give it on such data).
     */
    public static boolean standardized(Dataset d) {
        int f = d.sampleSize(), n = d.size();
        if (n < 2 || f == 0) return false;
        float[] x = d.features();
        double[] mean = new double[f], m2 = new double[f];
        int[] count = new int[f];
        for (int s = 0; s < n; s++) {
            for (int j = 0; j < f; j++) {
                double v = x[s * f + j];
                if (!Double.isFinite(v)) continue;
                double delta = v - mean[j];
                mean[j] += delta / ++count[j];
                m2[j] += delta * (v - mean[j]);
            }
        }
        boolean anyVaries = false;
        for (int j = 0; j < f; j++) {
            double std = count[j] > 0 ? Math.sqrt(m2[j] / count[j]) : 0;
            if (!(std > 1e-12 * Math.max(1, Math.abs(mean[j])))) continue; // constant: neither standardized nor not
            anyVaries = true;
            if (!(Math.abs(mean[j]) <= CENTRED && Math.abs(std - 1) <= CENTRED)) return false;
        }
        return anyVaries;
    }

    static final double CENTRED = 0.1;

    public static DataDiagnosis defaults() {
        return new DataDiagnosis(1e3, 10, 0.5, false);
    }

    /** @param loader may be null (then the order is not checked) */
    public List<Finding> examine(Dataset train, DataLoader loader) {
        return examine(train, loader, false);
    }

    /**
     * As above; with {@code tokenIds} the inputs are indices into an embedding table (whole-number ids that no
     * initializer sizes weights for and that normalizing would turn into other ids), so data_scale does not apply.
     */
    public List<Finding> examine(Dataset train, DataLoader loader, boolean tokenIds) {
        List<Finding> out = new ArrayList<>();
        nonFinite(train, out);
        if (!tokenIds) {
            scale(train, out);
            if (out.stream().noneMatch(f -> f.id().equals("data_scale"))) range(train, out);
        }
        if (train.isClassification()) {
            imbalance(train, out);
            if (loader != null) order(train, loader, out);
        } else if (loader != null) {
            targetOrder(train, loader, out);
        }
        return out;
    }

    private static void nonFinite(Dataset d, List<Finding> out) {
        float[] x = d.features();
        int f = d.sampleSize();
        long bad = 0;
        int firstSample = -1, firstFeature = -1;
        for (int i = 0; i < x.length; i++) {
            if (!Float.isFinite(x[i])) {
                if (bad++ == 0) {
                    firstSample = i / f;
                    firstFeature = i % f;
                }
            }
        }
        long badTargets = 0;
        if (!d.isClassification()) for (float t : d.targets()) if (!Float.isFinite(t)) badTargets++;
        if (bad == 0 && badTargets == 0) return;
        List<String> evidence = new ArrayList<>();
        if (bad > 0) evidence.add(bad + " of " + x.length + " feature values are NaN or infinite; the first: sample " + firstSample + ", feature " + firstFeature);
        if (badTargets > 0) evidence.add(badTargets + " regression targets are NaN or infinite");
        out.add(new Finding("data_nan", "NaN or infinite values in the training data", Severity.BLOCKING, 0, 0, List.of(), evidence,
                "One non-finite input makes the loss NaN at its first batch, and the NaN then spreads to every weight.",
                List.of())); // no config key cleans a data file: the rows must be dropped or imputed in the data itself
    }

    /**
     * Images [c, h, w]: pixels of one channel share a unit, and their spreads differ by nature (a border pixel that is
     * almost always black, a centre pixel that varies), so the comparison is between channels, pooled over pixels.
     */
    private void channelScale(Dataset d, List<Finding> out) {
        int[] shape = d.sampleShape();
        int channels = shape[0], plane = shape[1] * shape[2], n = d.size();
        if (channels < 2 || n < 2) return;
        float[] x = d.features();
        double[] std = new double[channels];
        for (int c = 0; c < channels; c++) {
            double sum = 0, sumSq = 0;
            long count = 0;
            for (int s = 0; s < n; s++) {
                int base = (s * channels + c) * plane;
                for (int p = 0; p < plane; p++) {
                    double v = x[base + p];
                    if (!Double.isFinite(v)) continue;
                    sum += v;
                    sumSq += v * v;
                    count++;
                }
            }
            double mean = sum / Math.max(1, count);
            std[c] = Math.sqrt(Math.max(0, sumSq / Math.max(1, count) - mean * mean));
        }
        int lo = 0, hi = 0;
        for (int c = 1; c < channels; c++) {
            if (std[c] < std[lo]) lo = c;
            if (std[c] > std[hi]) hi = c;
        }
        if (!(std[lo] > 0) || !(std[hi] > scaleRatio * std[lo])) return;
        out.add(new Finding("data_scale", "Channels on very different scales", Severity.WARNING, 0, 0, List.of(),
                List.of("per-channel std ranges from " + fmt(std[lo]) + " (channel " + lo + ") to " + fmt(std[hi]) + " (channel " + hi + "): "
                        + fmt(std[hi] / std[lo]) + "x, above " + fmt(scaleRatio) + "x"),
                "The loss surface is stretched along the large-scale channel: an elongated ravine where one learning rate is too large"
                        + " for some directions and too small for others (note 001).",
                List.of(Remedies.standardize(null, "per-channel standardization puts every channel on one scale").get())));
    }

    private void scale(Dataset d, List<Finding> out) {
        if (d.sampleShape().length == 3) {
            channelScale(d, out);
            return;
        }
        int f = d.sampleSize(), n = d.size();
        if (n < 2) return;
        float[] x = d.features();
        double[] mean = new double[f], m2 = new double[f];
        for (int s = 0; s < n; s++) {
            for (int j = 0; j < f; j++) {
                double v = x[s * f + j];
                if (!Double.isFinite(v)) continue;
                double delta = v - mean[j];
                mean[j] += delta / (s + 1);
                m2[j] += delta * (v - mean[j]);
            }
        }
        List<Integer> constant = new ArrayList<>();
        int lo = -1, hi = -1;
        double[] std = new double[f];
        for (int j = 0; j < f; j++) {
            std[j] = Math.sqrt(m2[j] / n);
            if (!(std[j] > 1e-12 * Math.max(1, Math.abs(mean[j])))) {
                constant.add(j);
                continue;
            }
            if (lo < 0 || std[j] < std[lo]) lo = j;
            if (hi < 0 || std[j] > std[hi]) hi = j;
        }
        String constants = constant.isEmpty() ? null : constant.size() + " constant feature" + (constant.size() == 1 ? "" : "s") + " (std 0, they carry no"
                + " information): " + list(constant);
        double ranges = rangeRatio(d, constant);
        if (lo >= 0 && std[hi] > scaleRatio * std[lo] && ranges > scaleRatio) {
            List<String> evidence = new ArrayList<>();
            evidence.add("per-feature std ranges from " + fmt(std[lo]) + " (feature " + lo + ") to " + fmt(std[hi]) + " (feature " + hi + "): "
                    + fmt(std[hi] / std[lo]) + "x, above " + fmt(scaleRatio) + "x; their ranges (max - min) differ " + fmt(ranges) + "x");
            if (constants != null) evidence.add(constants);
            out.add(new Finding("data_scale", "Features on very different scales", Severity.WARNING, 0, 0, List.of(), evidence,
                    "The loss surface is stretched along the large-scale features: an elongated ravine where one learning rate is too large"
                            + " for some directions and too small for others (note 001).",
                    List.of(Remedies.standardize(null, "zero mean and unit variance per feature make the surface round (note 001)").get())));
        } else if (constants != null && reportConstant) {
            out.add(new Finding("data_constant", "Constant features", Severity.INFO, 0, 0, List.of(), List.of(constants),
                    "A feature with the same value in every sample cannot help predict anything.",
                    List.of())); // no config key drops features; the finding is a note
        }
    }

    /**
     * The largest feature's range (max - min over finite values) over the smallest's, constant features left out: the
     * second condition of data_scale. A feature's std is small either because its unit is small or because it is almost
     * always one value (a border pixel of a flattened digit, nonzero in a few samples: std 2.5e-4 beside 0.39 in
     * [0, 1] pixels); only the first is a scale problem, and only the first shrinks the range too.
     */
    static double rangeRatio(Dataset d, List<Integer> constant) {
        int f = d.sampleSize(), n = d.size();
        float[] x = d.features();
        double smallest = Double.POSITIVE_INFINITY, largest = 0;
        for (int j = 0; j < f; j++) {
            if (constant.contains(j)) continue;
            double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
            for (int s = 0; s < n; s++) {
                double v = x[s * f + j];
                if (!Double.isFinite(v)) continue;
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            if (!(max > min)) continue;
            smallest = Math.min(smallest, max - min);
            largest = Math.max(largest, max - min);
        }
        return largest > 0 && Double.isFinite(smallest) ? largest / smallest : 0;
    }

    private static void range(Dataset d, List<Finding> out) {
        float[] x = d.features();
        double sumSq = 0, lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        long count = 0;
        for (float v : x) {
            if (!Float.isFinite(v)) continue;
            sumSq += (double) v * v;
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
            count++;
        }
        double rms = Math.sqrt(sumSq / Math.max(1, count));
        if (!(rms > RAW_RMS)) return;
        out.add(new Finding("data_scale", "Inputs in their raw range (not normalized)", Severity.WARNING, 0, 0, List.of(),
                List.of("input values span " + fmt(lo) + " to " + fmt(hi) + ", root mean square " + fmt(rms) + " (initializers assume about 1;"
                        + " above " + fmt(RAW_RMS) + " is a raw range)"),
                "The first layer's weights are sized for inputs of unit variance, so raw-range inputs make its pre-activations "
                        + fmt(rms) + "x too large: the first steps throw the weights far away, ReLUs die and sigmoids saturate (note 001: standardize the inputs).",
                List.of(Remedies.standardize(null, "zero mean and unit variance per feature, the scale the initializers assume").get())));
    }

    private void imbalance(Dataset d, List<Finding> out) {
        int[] counts = d.classCounts();
        if (counts.length < 2) return;
        int big = 0, small = 0;
        for (int c = 0; c < counts.length; c++) {
            if (counts[c] > counts[big]) big = c;
            if (counts[c] < counts[small]) small = c;
        }
        if (counts[big] == 0 || !(counts[big] > imbalanceRatio * counts[small])) return;
        String ratio = counts[small] == 0 ? "class " + small + " has no sample" : fmt((double) counts[big] / counts[small]) + "x";
        List<String> evidence = List.of("class " + big + " has " + counts[big] + " samples, class " + small + " " + counts[small] + " (" + ratio
                + ", above " + fmt(imbalanceRatio) + "x); counts per class: " + java.util.Arrays.toString(counts));
        out.add(new Finding("data_imbalance", "Heavily imbalanced classes", Severity.WARNING, 0, 0, List.of(), evidence,
                "The loss is dominated by the large classes: predicting them always already gives a low loss, so the rare classes are"
                        + " learned slowly or not at all, and accuracy hides it.",
                List.of(Remedies.classWeights(), Remedies.balancedSampler())));
    }

    private void order(Dataset d, DataLoader loader, List<Finding> out) {
        int[] order = loader.epochOrder(0), labels = d.labels();
        int b = loader.batchSize(), batches = 0, single = 0;
        for (int start = 0; start + 2 <= order.length; start += b) {
            int end = Math.min(order.length, start + b);
            if (end - start < 2) continue;
            batches++;
            boolean one = true;
            for (int i = start + 1; i < end && one; i++) one = labels[order[i]] == labels[order[start]];
            if (one) single++;
        }
        if (batches == 0) return;
        double fraction = (double) single / batches;
        int[] counts = d.classCounts();
        double expected = 0;
        for (int c : counts) expected += Math.pow((double) c / d.size(), Math.min(b, d.size()));
        if (!(fraction > singleLabelFraction) || !(expected < singleLabelFraction / 2)) return;
        List<String> evidence = List.of(single + " of " + batches + " batches of the first epoch (" + fmt(100 * fraction) + "%) hold a single label;"
                + " a shuffled order would give " + fmt(100 * expected) + "%");
        out.add(new Finding("data_unshuffled", "Training batches are not shuffled", Severity.WARNING, 0, 0, List.of(), evidence,
                "The samples come sorted by label, so each stretch of steps sees one class: the model chases the current class and forgets the"
                        + " others, and the loss swings from stretch to stretch.",
                List.of(Remedies.shuffle())));
    }

    /**
     * data_unshuffled for a regression: rows sorted by (or grouped on) the target leave each batch a narrow band of it.
     * In the loader's first epoch order, the mean over batches (of at least 2 samples) of the targets' within-batch
     * variance (unbiased, so a shuffled batch's estimates the whole set's), over the whole set's, summed over target
     * components: below {@value #GROUPED} the order is not a shuffled one. The ratio is scale-free; a shuffled order
     * averages it over every batch, so it stays near 1, where sorted rows give about (b / n)^2 (16 of 1,000: 3e-4).
     */
    private static void targetOrder(Dataset d, DataLoader loader, List<Finding> out) {
        int[] order = loader.epochOrder(0);
        int b = loader.batchSize(), t = d.targetSize(), n = d.size();
        if (t == 0 || n < 2 * b || b < 2) return;
        float[] y = d.targets();
        double whole = 0;
        for (int k = 0; k < t; k++) whole += variance(y, t, k, order, 0, n);
        if (!(whole > 0)) return;
        double within = 0;
        int batches = 0;
        for (int start = 0; start + 2 <= n; start += b) {
            int end = Math.min(n, start + b);
            for (int k = 0; k < t; k++) within += variance(y, t, k, order, start, end) * (end - start) / (end - start - 1.0);
            batches++;
        }
        double ratio = within / batches / whole;
        if (!(ratio < GROUPED)) return;
        out.add(new Finding("data_unshuffled", "Training batches are not shuffled", Severity.WARNING, 0, 0, List.of(),
                List.of("the targets vary within a batch of the first epoch " + fmt(ratio) + "x as much as across the whole set (" + batches
                        + " batches of " + b + "; a shuffled order gives about 1x, below " + fmt(GROUPED) + "x the rows are sorted or grouped by target)"),
                "The rows come sorted by their target, so each stretch of steps sees one narrow band of it: the model chases the current"
                        + " band and forgets the others, and the loss swings from stretch to stretch.",
                List.of(Remedies.shuffle())));
    }

    /** Within-batch variance ratio below which a regression's order is not a shuffled one (see {@link #targetOrder}). */
    static final double GROUPED = 0.25;

    /** The population variance of target component k over order[from, to). */
    private static double variance(float[] y, int t, int k, int[] order, int from, int to) {
        double sum = 0, sumSq = 0;
        int count = 0;
        for (int i = from; i < to; i++) {
            double v = y[order[i] * t + k];
            if (!Double.isFinite(v)) continue;
            sum += v;
            sumSq += v * v;
            count++;
        }
        if (count < 2) return 0;
        double mean = sum / count;
        return Math.max(0, sumSq / count - mean * mean);
    }

    private static String list(List<Integer> features) {
        if (features.size() <= 10) return features.toString();
        return features.subList(0, 10).toString().replace("]", ", ... (" + (features.size() - 10) + " more)]");
    }
}
