package dev.ravine.doctor;

import dev.ravine.doctor.curvature.HessianVectorProduct;
import dev.ravine.doctor.curvature.StabilityRule;
import dev.ravine.doctor.detect.HeavyBallRing;
import dev.ravine.doctor.detect.PlateauClassifier;
import dev.ravine.doctor.finding.Finding;
import dev.ravine.doctor.finding.Refutation;
import dev.ravine.doctor.finding.RunFacts;
import dev.ravine.linalg.DenseVectors;
import dev.ravine.nn.Module;
import dev.ravine.optim.Optimizer;
import dev.ravine.tensor.Tensor;
import dev.ravine.train.BatchEvent;
import dev.ravine.train.Trainer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Runs {@link PlateauClassifier} during training when the loss goes flat while still high (note 001: when training
 * is stuck, ask whether the gradient is small, then what the curvature says). Per step it only keeps the loss. When
 * the last {@code flatSteps} losses are flat (the median of their second half within {@code flatTolerance} of the
 * median of their first half) and the loss is still above {@code highFraction} of the run's first loss, it copies
 * the next {@code updates} parameter updates (the classifier's evidence for a ravine: do they flip sign along the
 * sharpest direction?) and then classifies the plateau on the fixed probe batch in eval mode. After an analysis the
 * watch waits {@code flatSteps} steps, twice that after the second, and so on. The finding's first step is where the flat
 * stretch began.
 */
final class PlateauWatch {
    /**
     * @param flatSteps     losses a plateau must span (steps)
     * @param flatTolerance relative change of the median loss that still counts as flat
     * @param highFraction  a plateau below this fraction of the first loss is a finished run, not a stuck one
     * @param updates       updates to collect before classifying
     */
    record Options(int flatSteps, double flatTolerance, double highFraction, int updates) {
        static Options defaults() {
            return new Options(60, 0.02, 0.2, 8);
        }
    }

    private final PlateauClassifier classifier;
    private final Options options;
    private final Tensor inputs;
    private final Tensor targets;
    private final ArrayDeque<double[]> losses = new ArrayDeque<>(); // {step, loss}
    private final List<double[]> collected = new ArrayList<>();
    /** The clip's scale of each collected step (1 where nothing clipped it). */
    private final List<Double> scales = new ArrayList<>();
    /** The median loss of the flat stretch last read as a ravine, and where it began; NaN when none stands. */
    private double ravineLevel = Double.NaN;
    private long ravineSince = -1;
    private double firstLoss = Double.NaN;
    private double referenceGradNorm = Double.NaN;
    private long collectingSince = -1;
    private long quietUntil = -1;
    private int analyses;
    private long crawlQuietUntil = -1;
    private int crawlAnalyses;
    /** Whether the analysis being prepared was started by a crawling loss rather than a flat one. */
    private boolean crawling;
    private PlateauClassifier.Classification last;

    PlateauWatch(PlateauClassifier classifier, Options options, Tensor inputs, Tensor targets) {
        this.classifier = classifier;
        this.options = options;
        this.inputs = inputs;
        this.targets = targets;
    }

    /** The gradient norm on the probe batch at the start: the scale a "small" gradient is judged against. */
    void onTrainingStart(Trainer trainer) {
        if (Double.isFinite(referenceGradNorm)) return; // a rollback restarts training, not the reference
        referenceGradNorm = withEvalMode(trainer,
                () -> DenseVectors.norm(new HessianVectorProduct(loss(trainer), parameters(trainer)).gradient()));
    }

    /** The last classification (for tests and the app), or null. */
    PlateauClassifier.Classification last() {
        return last;
    }

    /** Called after each step; returns a finding when an analysis just ran and found a saddle, a minimum or a ravine. */
    Optional<Finding> onBatchEnd(Trainer trainer, BatchEvent event, RunFacts facts) {
        if (!Double.isFinite(event.loss())) return Optional.empty();
        if (!losses.isEmpty() && event.step() <= losses.getLast()[0]) restart();
        if (Double.isNaN(firstLoss)) firstLoss = event.loss();
        double lr = trainer.optimizer().learningRate();
        if (Double.isNaN(firstRate)) firstRate = lr;
        else if (lr != firstRate) rateChanged = true;
        losses.addLast(new double[] {event.step(), event.loss()});
        while (losses.size() > options.flatSteps()) losses.removeFirst();
        if (collectingSince >= 0) return collect(trainer, event, facts);
        // Each trigger waits on its own analyses: a crawl that found nothing must not silence the flat stretch after it.
        boolean flat = event.step() >= quietUntil && isFlatAndHigh();
        boolean crawl = !flat && event.step() >= crawlQuietUntil && isCrawlingAndHigh(facts);
        if (flat || crawl) {
            crawling = crawl;
            collectingSince = (long) losses.getFirst()[0];
            flatLevel = median(losses.stream().mapToDouble(x -> x[1]).toArray());
            collected.clear();
            scales.clear();
        }
        return Optional.empty();
    }

    /** The median loss of the stretch that started the analysis being prepared. */
    private double flatLevel = Double.NaN;

    /**
     * A ravine read on a flat stretch claims the loss is held there by the bounce; a loss that then falls on, with nothing
     * changed, to {@value #KEPT_FALLING}x that stretch's median or below (the median of the run's last flatSteps losses)
     * was only pausing: SGD on a CNN bounced at lr x sharpness 1.7 (the edge of stability where healthy gradient descent
     * trains) on a 60-step stretch at 0.49 that mini-batch noise made look flat, and ended at 0.35. A crawl's ravine
     * claims a slow fall, which falling does not contradict, so it is not judged here. Empty while nothing contradicts.
     */
    Optional<Refutation> refutation() {
        if (losses.size() < options.flatSteps()) return Optional.empty();
        return keptFalling(ravineLevel, ravineSince, losses.stream().mapToDouble(x -> x[1]).toArray(), firstLoss);
    }

    /**
     * The refutation of a ravine read on a stretch of median {@code level} from step {@code since}, by the run's last
     * losses. The end must be at most {@value #KEPT_FALLING}x the run's first loss as well as the stretch's: a stretch
     * lifted above the start by the bounce itself (heavy-ball SGD ringing across a condition-6000 regression: median 1.58
     * from a first loss of 1.16) that settles back near the start (1.05, 0.9x it) has not fallen on, it is where the
     * ravine holds the loss (whitening took that run to 1e-8).
     */
    static Optional<Refutation> keptFalling(double level, long since, double[] lastLosses, double firstLoss) {
        if (!Double.isFinite(level) || lastLosses.length == 0) return Optional.empty();
        double end = median(lastLosses);
        double bar = Double.isFinite(firstLoss) ? Math.min(level, firstLoss) : level;
        if (!(end <= KEPT_FALLING * bar)) return Optional.empty();
        return Optional.of(new Refutation("ravine", List.of("the loss kept falling after the flat stretch read as a ravine: from its median "
                + String.format("%.4g", level) + " (from step " + since + ") to " + String.format("%.4g", end) + " over the last "
                + lastLosses.length + " steps, " + String.format("%.2g", end / level) + "x, with nothing changed: the stretch was a pause,"
                + " not a valley holding the loss")));
    }

    /** The optimizer's learning rate at the first step seen, and whether any later step ran at another (a schedule, a repair). */
    private double firstRate = Double.NaN;
    private boolean rateChanged;

    /** Whether every step seen ran at the learning rate of the first. */
    boolean constantRate() {
        return !rateChanged;
    }

    /** The run's first finite loss (NaN before one). */
    double firstLoss() {
        return firstLoss;
    }

    /** The median of the run's last flatSteps losses, or fewer at the start (NaN before any). */
    double endLoss() {
        return losses.isEmpty() ? Double.NaN : median(losses.stream().mapToDouble(x -> x[1]).toArray());
    }

    /** The share of a flat stretch's loss at or below which the run's end shows that the stretch was no ravine. */
    static final double KEPT_FALLING = 0.8;

    private Optional<Finding> collect(Trainer trainer, BatchEvent event, RunFacts facts) {
        collected.add(flatUpdate(trainer.optimizer()));
        scales.add(ClipScale.of(trainer.optimizer(), parameters(trainer)));
        if (collected.size() < options.updates()) return Optional.empty();
        long since = collectingSince;
        collectingSince = -1;
        // Each analysis costs tens of Hessian-vector products: on a run that stays stuck, the waits double (60, 120, 240, ...
        // steps), so the analyses of a long run are logarithmic in its length.
        if (crawling) crawlQuietUntil = event.step() + ((long) options.flatSteps() << Math.min(crawlAnalyses++, 20));
        else quietUntil = event.step() + ((long) options.flatSteps() << Math.min(analyses++, 20));
        double scale = median(scales.stream().mapToDouble(Double::doubleValue).toArray());
        double limit = sharpnessLimit(trainer.optimizer(), scale);
        List<double[]> updates = List.copyOf(collected);
        PlateauClassifier judge = classifier.withStepScale(scale).withMomentum(momentum(trainer.optimizer()));
        last = withEvalMode(trainer, () -> crawling
                ? judge.classifyCrawl(loss(trainer), parameters(trainer), referenceGradNorm, updates, facts, event.step(), limit)
                : judge.classify(loss(trainer), parameters(trainer), referenceGradNorm, updates, facts, event.step(), limit));
        collected.clear();
        scales.clear();
        if (last.finding().isPresent() && last.finding().get().id().equals("ravine")) {
            ravineLevel = crawling ? Double.NaN : flatLevel;
            ravineSince = since;
        }
        return last.finding().map(f -> new Finding(f.id(), f.title(), f.severity(), since, event.step(), f.layers(), withFlatness(f, since, event),
                f.cause(), f.remedies()));
    }

    /**
     * The heavy-ball momentum whose rotation the ravine's flips are judged against; none (gradient descent's flips) for
     * plain SGD and for every optimizer without the heavy-ball rule (Nesterov, adaptive and closure methods).
     */
    static HeavyBallRing momentum(Optimizer optimizer) {
        StabilityRule rule = StabilityRule.of(optimizer);
        boolean heavyBall = rule.kind() == StabilityRule.Kind.HEAVY_BALL && rule.beta() > 0 && rule.beta() < 1 && rule.dampening() >= 0
                && rule.dampening() < 1;
        return heavyBall ? new HeavyBallRing(rule.beta(), rule.dampening()) : HeavyBallRing.NONE;
    }

    /** The top Hessian eigenvalue above which the optimizer's step at its current learning rate diverges; NaN when no rule is known. */
    private static double sharpnessLimit(Optimizer optimizer, double stepScale) {
        return StabilityRule.of(optimizer).sharpnessThreshold(optimizer.learningRate() * stepScale);
    }

    private List<String> withFlatness(Finding f, long since, BatchEvent event) {
        List<String> evidence = new ArrayList<>();
        String how = crawling ? "crawling down, less than " + Math.round(100 * CRAWL_RATE) + "% a step," : "flat";
        evidence.add("the loss has been " + how + " since step " + since + " (" + (crawling ? "" : "within " + Math.round(100 * options.flatTolerance())
                + "% ") + "over " + options.flatSteps() + " steps) at " + String.format("%.4g", event.loss()) + ", "
                + String.format("%.2g", event.loss() / firstLoss) + "x the first loss");
        evidence.addAll(f.evidence());
        return evidence;
    }

    private boolean isFlatAndHigh() {
        if (losses.size() < options.flatSteps()) return false;
        double[] l = losses.stream().mapToDouble(x -> x[1]).toArray();
        int half = l.length / 2;
        double first = median(Arrays.copyOfRange(l, 0, half)), second = median(Arrays.copyOfRange(l, half, l.length));
        boolean flat = Math.abs(second - first) <= options.flatTolerance() * Math.abs(first);
        return flat && second > options.highFraction() * firstLoss;
    }

    /**
     * A loss that falls, but by less than {@value #CRAWL_RATE} of itself per step (the median of the window's second half
     * above (1 - rate)^(half its span) times its first half's: at that rate it needs about 70 steps to halve), while still
     * high, under an optimizer whose steps are lr times a fixed direction (no per-coordinate scale: the ravine's tests
     * read lr x sharpness). A full-batch run down an ill-conditioned valley does this instead of going flat: its steep
     * direction settles, and the floor is crossed a fraction of a percent a step. Only the ravine's tests are run on it.
     */
    private boolean isCrawlingAndHigh(RunFacts facts) {
        if (facts == null || facts.adaptive() || losses.size() < options.flatSteps()) return false;
        double[] l = losses.stream().mapToDouble(x -> x[1]).toArray();
        int half = l.length / 2;
        double first = median(Arrays.copyOfRange(l, 0, half)), second = median(Arrays.copyOfRange(l, half, l.length));
        boolean slow = second < first && second >= Math.pow(1 - CRAWL_RATE, half) * first;
        return slow && second > options.highFraction() * firstLoss;
    }

    /** The relative fall per step below which a still-high loss is crawling. */
    static final double CRAWL_RATE = 0.01;

    /** After a rollback the losses describe an abandoned trajectory. */
    private void restart() {
        losses.clear();
        collected.clear();
        scales.clear();
        collectingSince = -1;
        ravineLevel = Double.NaN; // a repair changed the run: its later fall says nothing about the stretch before it
    }

    private Supplier<Tensor> loss(Trainer trainer) {
        Module model = trainer.model();
        return () -> trainer.loss().compute(model.call(inputs), targets);
    }

    private static List<Tensor> parameters(Trainer trainer) {
        Map<String, Tensor> named = trainer.model().namedParameters();
        List<Tensor> out = new ArrayList<>();
        for (String name : trainer.optimizer().parameterNames()) out.add(named.get(name));
        return out;
    }

    private static double[] flatUpdate(Optimizer optimizer) {
        List<float[]> parts = new ArrayList<>(optimizer.lastUpdates().values());
        int n = 0;
        for (float[] p : parts) n += p.length;
        double[] flat = new double[n];
        int at = 0;
        for (float[] p : parts) for (float x : p) flat[at++] = x;
        return flat;
    }

    private static <T> T withEvalMode(Trainer trainer, Supplier<T> work) {
        Module model = trainer.model();
        boolean wasTraining = model.isTraining();
        model.eval();
        try {
            return work.get();
        } finally {
            model.train(wasTraining);
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
