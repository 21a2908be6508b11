package dev.ravine.lab.labs;

import dev.ravine.lab.Figure;
import dev.ravine.lab.chart.Chart;
import dev.ravine.lab.chart.HeatMapChart;
import dev.ravine.lab.chart.LineChart;
import dev.ravine.lab.chart.Series;
import dev.ravine.nn.Module;
import dev.ravine.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What lab 12 reads off the weights of its L2 and L1 arms. L1: how many weights the proximal step set exactly to
 * zero and which input pixels keep a non-zero outgoing weight. The prior reading: with the loss taken as the mean
 * over N training samples, mean NLL + lambda/2 ||w||^2 is (1/N) times the negative log posterior under the prior
 * w ~ N(0, sigma^2) with sigma^2 = 1/(lambda N), and mean NLL + lambda ||w||_1 under w ~ Laplace(0, b) with
 * b = 1/(lambda N); the first layer's weights are histogrammed against both those implied priors and the Gaussian
 * and Laplace densities fitted to the weights themselves (maximum likelihood: sigma = RMS, b = mean |w|).
 */
final class PriorReading {
    private static final int BINS = 41;

    private final int side;
    private final double l2, l1;
    private final int samples;
    private final Map<String, float[]> firstLayer = new LinkedHashMap<>();
    private final double[] survivingRuns, nonZeroShare;
    private double zeroFraction, firstLayerZeroFraction, survivingInputs;
    private int l1Runs;

    PriorReading(int side, double l2, double l1, int samples) {
        this.side = side;
        this.l2 = l2;
        this.l1 = l1;
        this.samples = samples;
        this.survivingRuns = new double[side * side];
        this.nonZeroShare = new double[side * side];
    }

    /** Takes note of an arm's trained model; the first seed's first-layer weights are kept for the histograms. */
    void record(String arm, Module model, boolean firstSeed) {
        if (!arm.equals("baseline") && !arm.equals("l2") && !arm.equals("l1")) return;
        Tensor w = firstWeight(model);
        if (firstSeed) firstLayer.put(arm, w.toArray());
        if (!arm.equals("l1")) return;
        long zeros = 0, total = 0;
        for (Tensor p : model.namedParameters().values()) {
            if (p.dim() < 2) continue;
            for (float v : p.toArray()) if (v == 0f) zeros++;
            total += p.numel();
        }
        float[] first = w.toArray();
        int out = w.shape()[0], in = w.shape()[1];
        long firstZeros = 0;
        int alive = 0;
        for (int j = 0; j < in; j++) {
            int nonZero = 0;
            for (int i = 0; i < out; i++) if (first[i * in + j] != 0f) nonZero++;
            firstZeros += out - nonZero;
            nonZeroShare[j] += nonZero / (double) out;
            if (nonZero > 0) {
                survivingRuns[j]++;
                alive++;
            }
        }
        zeroFraction += zeros / (double) total;
        firstLayerZeroFraction += firstZeros / (double) first.length;
        survivingInputs += alive;
        l1Runs++;
    }

    /** The weight of the model's first layer, [out, in]: its first parameter of rank 2. */
    private static Tensor firstWeight(Module model) {
        for (Tensor p : model.namedParameters().values()) if (p.dim() == 2) return p;
        throw new IllegalArgumentException("the model has no rank-2 weight");
    }

    double sigmaImplied() {
        return 1 / Math.sqrt(l2 * samples);
    }

    double bImplied() {
        return 1 / (l1 * samples);
    }

    List<Figure> figures() {
        List<Figure> f = new ArrayList<>();
        f.add(new Figure("l1.zero_fraction", "L1: weights exactly 0 (all layers, mean over seeds)", 100 * zeroFraction / l1Runs, "%"));
        f.add(new Figure("l1.first_layer_zero_fraction", "L1: first-layer weights exactly 0 (mean)", 100 * firstLayerZeroFraction / l1Runs, "%"));
        f.add(Figure.of("l1.surviving_inputs", "L1: input pixels with a non-zero outgoing weight (mean, of " + side * side + ")", survivingInputs / l1Runs));
        f.add(new Figure("l1.centre_survival", "L1: central 6 x 6 pixels with a non-zero outgoing weight (mean over seeds)",
                100 * regionMean(survivingRuns, true), "%"));
        f.add(new Figure("l1.border_survival", "L1: pixels of the outer 2-pixel ring with a non-zero outgoing weight (mean)",
                100 * regionMean(survivingRuns, false), "%"));
        f.add(new Figure("l1.centre_nonzero", "L1: non-zero share of the central 6 x 6 pixels' outgoing weights (mean)",
                100 * regionMean(nonZeroShare, true), "%"));
        f.add(new Figure("l1.border_nonzero", "L1: non-zero share of the outer ring's outgoing weights (mean)",
                100 * regionMean(nonZeroShare, false), "%"));
        f.add(Figure.of("prior.l2_sigma_implied", "L2: prior standard deviation implied, 1/sqrt(lambda N)", sigmaImplied()));
        f.add(Figure.of("prior.l2_weight_rms", "L2: RMS of the first layer's weights (first seed)", rms(firstLayer.get("l2"))));
        f.add(Figure.of("prior.baseline_weight_rms", "baseline: RMS of the first layer's weights (first seed)", rms(firstLayer.get("baseline"))));
        f.add(Figure.of("prior.l1_b_implied", "L1: Laplace prior scale implied, 1/(lambda N)", bImplied()));
        f.add(Figure.of("prior.l1_mean_abs", "L1: mean |w| of the first layer (first seed)", meanAbs(firstLayer.get("l1"))));
        return f;
    }

    /** The mean over the central 6 x 6 pixels (or the pixels within 2 of the border) of a per-pixel sum over the L1 runs, per run. */
    private double regionMean(double[] perPixel, boolean centre) {
        double sum = 0;
        int n = 0;
        int lo = (side - 6) / 2, hi = lo + 6;
        for (int r = 0; r < side; r++) {
            for (int c = 0; c < side; c++) {
                boolean inCentre = r >= lo && r < hi && c >= lo && c < hi;
                boolean onBorder = r < 2 || c < 2 || r >= side - 2 || c >= side - 2;
                if (centre ? inCentre : onBorder) {
                    sum += perPixel[r * side + c] / l1Runs;
                    n++;
                }
            }
        }
        return sum / n;
    }

    List<Chart> charts() {
        double[] survival = new double[side * side];
        List<String> rows = new ArrayList<>(), columns = new ArrayList<>();
        for (int i = 0; i < side; i++) {
            rows.add(String.valueOf(i));
            columns.add(String.valueOf(i));
        }
        for (int j = 0; j < survival.length; j++) survival[j] = nonZeroShare[j] / l1Runs;
        HeatMapChart map = new HeatMapChart("l1-survivors", "Which input pixels survive L1",
                "Each cell is a pixel of the 14 x 14 input: the share of its outgoing first-layer weights that the L1 arm left non-zero, "
                        + "mean over seeds (1: none zeroed, 0: every outgoing weight exactly zero, the pixel dropped).", "column", rows,
                columns, survival, false);
        return List.of(map, histogram());
    }

    private Chart histogram() {
        double m = 0;
        for (float[] w : firstLayer.values()) for (float v : w) m = Math.max(m, Math.abs(v));
        double width = 2 * m / BINS;
        double[] x = new double[BINS];
        for (int b = 0; b < BINS; b++) x[b] = -m + (b + 0.5) * width;
        List<Series> series = new ArrayList<>();
        for (var e : firstLayer.entrySet()) series.add(Series.points(e.getKey() + " weights", x, density(e.getValue(), m, width)));
        double sigma = rms(firstLayer.get("l2")), b = meanAbs(firstLayer.get("l1"));
        double[] gauss = new double[BINS], laplace = new double[BINS], gaussPrior = new double[BINS], laplacePrior = new double[BINS];
        for (int i = 0; i < BINS; i++) {
            gauss[i] = gaussian(x[i], sigma);
            laplace[i] = laplace(x[i], b);
            gaussPrior[i] = gaussian(x[i], sigmaImplied());
            laplacePrior[i] = laplace(x[i], bImplied());
        }
        series.add(Series.line(String.format(Locale.ROOT, "Gaussian fitted to L2 (sigma %.3g)", sigma), x, gauss));
        series.add(Series.line(String.format(Locale.ROOT, "Laplace fitted to L1 (b %.3g)", b), x, laplace));
        series.add(Series.dashed(String.format(Locale.ROOT, "Gaussian prior of L2 (sigma %.3g)", sigmaImplied()), x, gaussPrior));
        series.add(Series.dashed(String.format(Locale.ROOT, "Laplace prior of L1 (b %.3g)", bImplied()), x, laplacePrior));
        return new LineChart("weight-priors", "First-layer weights under the baseline, L2 and L1, with Gaussian and Laplace densities",
                "Points: the density (count / (n x bin width)) of the first layer's weights at the first seed, " + BINS + " bins, log "
                        + "scale (an empty bin is left out; L1's exact zeros are the spike at 0). Lines: the Gaussian with the L2 weights' "
                        + "RMS and the Laplace with the L1 weights' mean |w| (the maximum-likelihood fits of each shape). Dashed: the "
                        + "priors the penalties stand for, sigma^2 = 1/(lambda N) and b = 1/(lambda N) with N the training-set size.",
                "weight", "density", true, series);
    }

    private static double[] density(float[] w, double m, double width) {
        double[] d = new double[BINS];
        for (float v : w) d[Math.min(BINS - 1, (int) ((v + m) / width))]++;
        for (int b = 0; b < BINS; b++) d[b] = d[b] == 0 ? Double.NaN : d[b] / (w.length * width);
        return d;
    }

    private static double gaussian(double x, double sigma) {
        return Math.exp(-x * x / (2 * sigma * sigma)) / (Math.sqrt(2 * Math.PI) * sigma);
    }

    private static double laplace(double x, double b) {
        return Math.exp(-Math.abs(x) / b) / (2 * b);
    }

    private static double rms(float[] w) {
        double s = 0;
        for (float v : w) s += (double) v * v;
        return Math.sqrt(s / w.length);
    }

    private static double meanAbs(float[] w) {
        double s = 0;
        for (float v : w) s += Math.abs(v);
        return s / w.length;
    }

    String reading() {
        return String.format(Locale.ROOT, "L1 (proximal, lambda %.3g) left %.1f%% of all weights and %.1f%% of the first layer's exactly "
                        + "zero; %.1f of %d input pixels kept a non-zero outgoing weight (central 6 x 6: %.0f%% of their outgoing weights non-zero, outer ring: %.0f%%). "
                        + "Prior reading: L2 lambda %.3g with N = %d stands for a Gaussian prior of sigma %.3g, against first-layer weights of "
                        + "RMS %.3g (baseline %.3g); L1 lambda %.3g for a Laplace prior of scale b %.3g, against a mean |w| of %.3g.",
                l1, 100 * zeroFraction / l1Runs, 100 * firstLayerZeroFraction / l1Runs, survivingInputs / l1Runs, side * side,
                100 * regionMean(nonZeroShare, true), 100 * regionMean(nonZeroShare, false), l2, samples, sigmaImplied(), rms(firstLayer.get("l2")),
                rms(firstLayer.get("baseline")), l1, bImplied(), meanAbs(firstLayer.get("l1")));
    }
}
