package dev.ravine.doctor.instrument;

import dev.ravine.doctor.curvature.StabilityRule;
import dev.ravine.kernel.MomentKernel;
import dev.ravine.nn.Module;
import dev.ravine.nn.Recurrent;
import dev.ravine.tensor.Tensor;
import dev.ravine.train.BatchEvent;
import dev.ravine.train.Trainer;
import dev.ravine.train.TrainingListener;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The doctor's instruments, attached to a run as a {@link TrainingListener}. Every step it reads the loss; every
 * {@code options.every()} steps it also reads, per layer, gradient / weight / update norms and update-to-weight
 * ratios, and, per layer output (through forward hooks), mean, std, dead ReLU units, saturated sigmoid/tanh units,
 * non-finite values, the gradient with respect to the output and the gradient scale coefficient. It only reads: it
 * never changes the run. Readings go to the listeners given to {@link #onReading} and stay in {@link #history}.
 */
public final class InstrumentPanel implements TrainingListener {
    private final InstrumentOptions options;
    private final List<StepReading> history = new ArrayList<>();
    private final List<Consumer<StepReading>> sinks = new ArrayList<>();
    private final Map<String, List<String>> parametersByLayer = new LinkedHashMap<>();
    private final Map<String, Module> probedModules = new LinkedHashMap<>();
    private final Map<String, DeadUnitTracker> deadTrackers = new LinkedHashMap<>();
    private final Map<String, DeadOverSamples> deadOverSamples = new LinkedHashMap<>();
    /**
     * Samples a reading's dead fraction is judged over (several readings' batches when batches are smaller): a unit
     * active on a fifth of its inputs is off on all of 16 by chance 3% of the time (0.8^16).
     */
    static final int DEAD_SAMPLES = 16;
    private final Map<String, ThroughTimeTrace> timeTraces = new LinkedHashMap<>();
    /** Outputs captured on the current reading step, by module name; the root's output is under "". */
    private final Map<String, Tensor> outputs = new LinkedHashMap<>();
    private final List<Runnable> hookRemovers = new ArrayList<>();
    private boolean readingStep;
    /** Which link preconditions the optimizer's steps (read once: the chain does not change during a run). */
    private StabilityRule stability;
    private final Map<String, double[]> gradNorms = new LinkedHashMap<>();
    /** The sum and sum of squares of the output being read (MomentKernel.sums), kept to spare an array per output. */
    private final double[] sums = new double[2];

    public InstrumentPanel(InstrumentOptions options) {
        this.options = options;
    }

    public InstrumentPanel onReading(Consumer<StepReading> sink) {
        sinks.add(sink);
        return this;
    }

    public List<StepReading> history() {
        return List.copyOf(history);
    }

    @Override
    public void onTrainingStart(Trainer trainer) {
        Module model = trainer.model();
        for (String name : model.namedParameters().keySet()) {
            int dot = name.lastIndexOf('.');
            String layer = dot < 0 ? "" : name.substring(0, dot);
            parametersByLayer.computeIfAbsent(layer, k -> new ArrayList<>()).add(name);
        }
        for (Map.Entry<String, Module> e : model.namedModules().entrySet()) {
            Module m = e.getValue();
            if (!m.children().isEmpty() && !e.getKey().isEmpty()) continue; // leaves, plus the root for the output
            String name = e.getKey();
            probedModules.put(name, m);
            hookRemovers.add(m.addForwardHook((module, in, out) -> capture(name, out)));
            if (m instanceof Recurrent r) timeTraces.put(name, ThroughTimeTrace.attach(r));
        }
        setReadingStep(options.isReadingStep(trainer.optimizer().stepCount() + 1));
    }

    /** Recurrent layers keep their first and last hidden states' gradients on reading steps only (a small cost). */
    private void setReadingStep(boolean reading) {
        readingStep = reading;
        for (ThroughTimeTrace trace : timeTraces.values()) trace.enable(reading);
    }

    /** Training forwards only: evaluation runs without grad and must not overwrite the step's outputs. */
    private void capture(String module, Tensor out) {
        if (!readingStep || !out.requiresGrad()) return;
        out.retainGrad();
        outputs.put(module, out);
    }

    @Override
    public void onGradients(Trainer trainer, long step) {
        // Gradients exist only between backward and the optimizer step: read them now.
        if (readingStep) readGradientNorms(trainer);
    }

    /** Each layer's gradient norm (NaN when a gradient is not finite) and count of non-finite gradient entries. */
    private void readGradientNorms(Trainer trainer) {
        gradNorms.clear();
        Map<String, Tensor> params = trainer.model().namedParameters();
        for (Map.Entry<String, List<String>> layer : parametersByLayer.entrySet()) {
            double sumSq = 0;
            int nonFinite = 0;
            for (String p : layer.getValue()) {
                Tensor g = params.get(p).grad();
                if (g == null) continue;
                float[] v = g.values();
                sumSq += Norms.sumOfSquares(v);
                if (Double.isNaN(sumSq)) nonFinite += Norms.countNonFinite(v);
            }
            gradNorms.put(layer.getKey(), new double[] {Math.sqrt(sumSq), nonFinite});
        }
    }

    @Override
    public void onBatchEnd(Trainer trainer, BatchEvent event) {
        StepReading reading = readingStep ? fullReading(trainer, event) : new StepReading(event.step(), event.epoch(), event.loss(),
                false, Double.NaN, List.of(), List.of());
        outputs.clear();
        setReadingStep(options.isReadingStep(event.step() + 1));
        history.add(reading);
        for (Consumer<StepReading> sink : sinks) sink.accept(reading);
    }

    /**
     * The reading of a step the optimizer refused for non-finite gradients (read on any step, reading step or not): no
     * update was made, so it holds each layer's gradient and weight norms and non-finite counts, with update norms 0,
     * and is not a full reading (detectors that need activations or updates skip it).
     */
    public StepReading refusedStepReading(Trainer trainer, long step, int epoch, double loss) {
        readGradientNorms(trainer);
        Map<String, Tensor> params = trainer.model().namedParameters();
        List<LayerReading> layers = new ArrayList<>();
        double globalSq = 0;
        for (Map.Entry<String, List<String>> layer : parametersByLayer.entrySet()) {
            double[] g = gradNorms.get(layer.getKey()), w = weightNorm(params, layer.getValue());
            globalSq += g[0] * g[0];
            layers.add(new LayerReading(layer.getKey(), g[0], w[0], 0, 0, (int) (w[1] + g[1])));
        }
        outputs.clear();
        setReadingStep(options.isReadingStep(step + 1));
        StepReading reading = new StepReading(step, epoch, loss, false, Math.sqrt(globalSq), layers, List.of());
        history.add(reading);
        for (Consumer<StepReading> sink : sinks) sink.accept(reading);
        return reading;
    }

    /** A layer's weight norm (NaN when a weight is not finite) and its count of non-finite weights. */
    private static double[] weightNorm(Map<String, Tensor> params, List<String> names) {
        double sq = 0;
        int nonFinite = 0;
        for (String p : names) {
            float[] w = params.get(p).values();
            double s = Norms.sumOfSquares(w);
            if (Double.isNaN(s)) nonFinite += Norms.countNonFinite(w);
            sq += s;
        }
        return new double[] {Math.sqrt(sq), nonFinite};
    }

    private StepReading fullReading(Trainer trainer, BatchEvent event) {
        Map<String, Tensor> params = trainer.model().namedParameters();
        Map<String, float[]> updates = trainer.optimizer().lastUpdates();
        List<LayerReading> layers = new ArrayList<>();
        double globalSq = 0;
        for (Map.Entry<String, List<String>> layer : parametersByLayer.entrySet()) {
            double[] w = weightNorm(params, layer.getValue());
            double updateSq = 0;
            for (String p : layer.getValue()) {
                float[] u = updates.get(p);
                if (u != null) updateSq += Norms.sumOfSquares(u);
            }
            double[] g = gradNorms.getOrDefault(layer.getKey(), new double[] {Double.NaN, 0});
            globalSq += g[0] * g[0];
            double weightNorm = w[0], updateNorm = Math.sqrt(updateSq);
            layers.add(new LayerReading(layer.getKey(), g[0], weightNorm, updateNorm, weightNorm > 0 ? updateNorm / weightNorm : Double.NaN,
                    (int) w[1] + (int) g[1]));
        }
        if (stability == null) stability = StabilityRule.of(trainer.optimizer());
        return new StepReading(event.step(), event.epoch(), event.loss(), true, Math.sqrt(globalSq), layers, activationReadings(),
                AdaptiveSteps.read(trainer.optimizer(), stability));
    }

    private List<ActivationReading> activationReadings() {
        Tensor top = outputs.get("");
        double topGrad = top == null ? Double.NaN : gradientNorm(top);
        double topNorm = top == null ? Double.NaN : Math.sqrt(Norms.sumOfSquares(top.values()));
        List<ActivationReading> readings = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : outputs.entrySet()) {
            if (e.getKey().isEmpty()) continue;
            Module m = probedModules.get(e.getKey());
            Tensor out = e.getValue();
            float[] v = out.values();
            // one pass for the mean, the std, the norm, finiteness and (ReLU) which units were active
            boolean relu = ActivationProbe.isRelu(m) && out.dim() >= 1;
            boolean[] active = relu ? new boolean[out.size(0) == 0 ? 0 : v.length / out.size(0)] : null;
            MomentKernel.sums(v, 0, v.length, active, sums);
            double dead = Double.NaN;
            if (relu) {
                boolean[] units = out.dim() == 4 ? ActivationProbe.perChannel(active, out.size(1)) : active; // a conv map's units are its channels
                DeadUnitTracker tracker = deadTrackers.computeIfAbsent(e.getKey(), k -> new DeadUnitTracker(options.deadWindow()));
                tracker.record(units);
                dead = deadOverSamples.computeIfAbsent(e.getKey(), k -> new DeadOverSamples(DEAD_SAMPLES)).recordAndRead(units, out.size(0));
            }
            double[] ms = ActivationProbe.meanStd(sums[0], sums[1], v.length);
            double gradNorm = gradientNorm(out);
            double sumSq = Norms.policy(sums[1], v);
            int nonFinite = Double.isFinite(sums[1]) ? 0 : Norms.countNonFinite(v);
            double norm = Math.sqrt(sumSq);
            ThroughTimeTrace trace = timeTraces.get(e.getKey());
            double timeRatio = trace == null ? Double.NaN : trace.firstToLastRatio();
            readings.add(new ActivationReading(e.getKey(), m.kind(), ms[0], ms[1], dead, ActivationProbe.saturatedFraction(m, v),
                    nonFinite, gradNorm, GradientScaleCoefficient.of(gradNorm, norm, topGrad, topNorm), timeRatio));
        }
        return readings;
    }

    /** The norm of a layer output's gradient (NaN when it has none or it is not finite). */
    private static double gradientNorm(Tensor out) {
        return out.grad() == null ? Double.NaN : Math.sqrt(Norms.sumOfSquares(out.grad().values()));
    }

    /** Fraction of a ReLU layer's units inactive over the whole window (NaN until the window has filled). */
    public double deadOverWindow(String module) {
        DeadUnitTracker t = deadTrackers.get(module);
        return t == null ? Double.NaN : t.deadFraction();
    }

    @Override
    public void onTrainingEnd(Trainer trainer, dev.ravine.train.TrainingResult result) {
        hookRemovers.forEach(Runnable::run);
        hookRemovers.clear();
        timeTraces.values().forEach(ThroughTimeTrace::detach);
        timeTraces.clear();
    }
}
