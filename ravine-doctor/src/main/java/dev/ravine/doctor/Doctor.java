package dev.ravine.doctor;

import dev.ravine.doctor.detect.DeadReluDetector;
import dev.ravine.doctor.detect.Detector;
import dev.ravine.doctor.detect.ExplodingGradientsDetector;
import dev.ravine.doctor.detect.LossStuckAtChanceDetector;
import dev.ravine.doctor.detect.LrTooLowDetector;
import dev.ravine.doctor.detect.VanishingGradientsDetector;
import dev.ravine.doctor.finding.Finding;
import dev.ravine.doctor.finding.RunFacts;
import dev.ravine.doctor.instrument.InstrumentOptions;
import dev.ravine.doctor.instrument.InstrumentPanel;
import dev.ravine.doctor.instrument.StepReading;
import dev.ravine.train.BatchEvent;
import dev.ravine.train.EpochEvent;
import dev.ravine.train.Trainer;
import dev.ravine.train.TrainingListener;
import dev.ravine.train.TrainingResult;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Watches a run: its instruments read every step, its detectors examine a sliding window of readings after each
 * full reading, and findings open (the first time a detector fires) and close (when it stops firing). It only
 * reads; repairs act through the trainer. Listeners hear each opening and closing, which is the one line the
 * terminal shows.
 */
public final class Doctor implements TrainingListener {
    /** Hears findings open and close. */
    public interface FindingListener {
        void opened(Finding finding);

        default void closed(Finding finding) {}
    }

    private final InstrumentPanel panel;
    private final List<Detector> detectors;
    private final RunFacts facts;
    private final int windowSteps;
    private final ArrayDeque<StepReading> window = new ArrayDeque<>();
    private final Map<String, Finding> open = new LinkedHashMap<>();
    private final Map<String, Finding> everOpened = new LinkedHashMap<>();
    private final List<FindingListener> listeners = new ArrayList<>();

    public Doctor(InstrumentOptions options, List<Detector> detectors, RunFacts facts, int windowSteps) {
        this.panel = new InstrumentPanel(options).onReading(this::onReading);
        this.detectors = List.copyOf(detectors);
        this.facts = facts;
        this.windowSteps = windowSteps;
    }

    /** The detectors of this rules with their documented defaults. */
    public static List<Detector> standardDetectors() {
        return List.of(ExplodingGradientsDetector.defaults(), VanishingGradientsDetector.defaults(), DeadReluDetector.defaults(),
                LrTooLowDetector.defaults(), LossStuckAtChanceDetector.defaults());
    }

    public Doctor addFindingListener(FindingListener listener) {
        listeners.add(listener);
        return this;
    }

    public InstrumentPanel instruments() {
        return panel;
    }

    /** Every finding opened during the run, in the order they opened, with their latest evidence. */
    public List<Finding> findings() {
        return List.copyOf(everOpened.values());
    }

    public List<Finding> openFindings() {
        return List.copyOf(open.values());
    }

    private void onReading(StepReading reading) {
        window.addLast(reading);
        while (!window.isEmpty() && window.getFirst().step() <= reading.step() - windowSteps) window.removeFirst();
        if (reading.full() || !Double.isFinite(reading.loss())) examine();
    }

    private void examine() {
        List<StepReading> w = List.copyOf(window);
        for (Detector d : detectors) {
            Optional<Finding> f = d.examine(w, facts);
            if (f.isPresent()) {
                Finding finding = f.get();
                boolean isNew = !open.containsKey(d.id());
                Finding merged = isNew && everOpened.containsKey(d.id()) ? finding : keepFirstStep(open.get(d.id()), finding);
                open.put(d.id(), merged);
                everOpened.put(d.id(), merged);
                if (isNew) listeners.forEach(l -> l.opened(merged));
            } else if (open.containsKey(d.id())) {
                Finding closed = open.remove(d.id());
                listeners.forEach(l -> l.closed(closed));
            }
        }
    }

    private static Finding keepFirstStep(Finding previous, Finding current) {
        if (previous == null) return current;
        return new Finding(current.id(), current.title(), current.severity(), Math.min(previous.firstStep(), current.firstStep()),
                current.lastStep(), current.layers(), current.evidence(), current.cause(), current.remedies());
    }

    // ------------------------------------------------------------------ trainer events, forwarded to the instruments

    @Override
    public void onTrainingStart(Trainer trainer) {
        panel.onTrainingStart(trainer);
    }

    @Override
    public void onGradients(Trainer trainer, long step) {
        panel.onGradients(trainer, step);
    }

    @Override
    public void onBatchEnd(Trainer trainer, BatchEvent event) {
        panel.onBatchEnd(trainer, event);
    }

    @Override
    public void onNonFiniteLoss(Trainer trainer, long step, int epoch, double loss) {
        // No step was taken, so no instrument reading: record the loss so the detectors see the NaN.
        onReading(new StepReading(step, epoch, loss, false, Double.NaN, List.of(), List.of()));
    }

    @Override
    public void onEpochEnd(Trainer trainer, EpochEvent event) {
        panel.onEpochEnd(trainer, event);
    }

    @Override
    public void onTrainingEnd(Trainer trainer, TrainingResult result) {
        panel.onTrainingEnd(trainer, result);
    }
}
