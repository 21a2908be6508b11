package dev.ravine.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.doctor.detect.PlateauClassifier;
import dev.ravine.nn.Linear;
import dev.ravine.nn.Module;
import dev.ravine.nn.Sequential;
import dev.ravine.nn.loss.MseLoss;
import dev.ravine.optim.Optimizer;
import dev.ravine.optim.Optimizers;
import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Tensor;
import dev.ravine.train.BatchEvent;
import dev.ravine.train.Trainer;
import dev.ravine.train.TrainingOptions;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The plateau watch's own judgements: a flat stretch's ravine against the losses after it, and whether the rate stayed constant. */
class PlateauWatchTest {
    @Test
    void aRavineOnAFlatStretchIsRefutedWhenTheLossFallsOnBelowFourFifthsOfIt() {
        // fresh3-ctl-slow-sgd-cnn at seed 1: the stretch from step 93 had median 0.494, the run's last 60 steps 0.351
        double[] end = new double[60];
        Arrays.fill(end, 0.3514);
        var r = PlateauWatch.keptFalling(0.4943, 93, end, 2.30).orElseThrow();
        assertEquals("ravine", r.findingId());
        assertTrue(r.evidence().getFirst().contains("0.71x"), r.evidence()::toString);
        // a loss that stays at its stretch (a ravine holding it) or falls less than a fifth is not contradicted
        Arrays.fill(end, 0.43);
        assertTrue(PlateauWatch.keptFalling(0.4943, 93, end, 2.30).isEmpty());
        // nothing to judge when no flat stretch's ravine stands (none read, a crawl's, or a repair since)
        Arrays.fill(end, 0.01);
        assertTrue(PlateauWatch.keptFalling(Double.NaN, 93, end, 2.30).isEmpty());
    }

    @Test
    void aRavineWhoseStretchTheBounceLiftedAboveTheStartIsNotRefutedBySettlingBackNearTheStart() {
        // fresh5-ravine-heavy-ball-condition-6000 at seed 2: first loss 1.16, the stretch from step 9 had median 1.577 (the
        // ringing lifted it), the last 60 steps 1.046: 0.66x the stretch but 0.9x the start, where the ravine holds it
        double[] end = new double[60];
        Arrays.fill(end, 1.046);
        assertTrue(PlateauWatch.keptFalling(1.577, 9, end, 1.16).isEmpty());
        // the same stretch with an end that fell below four fifths of the start as well: the loss fell on
        Arrays.fill(end, 0.9);
        assertEquals("ravine", PlateauWatch.keptFalling(1.577, 9, end, 1.16).orElseThrow().findingId());
        // no first loss known: the stretch alone is the bar, as before
        Arrays.fill(end, 1.046);
        assertTrue(PlateauWatch.keptFalling(1.577, 9, end, Double.NaN).isPresent());
    }

    @Test
    void theRateCountsAsConstantUntilAStepRunsAtAnotherOne() {
        // the bounce refutation (BounceNotDivergence) is judged only on runs whose rate never changed: a warm-up that rose
        // and came back as its rate grew was the rate's doing, not a ravine's
        Rng rng = new Rng(3);
        Module model = new Sequential(new Linear(2, 1, true, rng));
        Optimizer sgd = Optimizers.sgd(model.namedParameters(), 0.1);
        Trainer trainer = new Trainer(model, new MseLoss(), sgd, rng, TrainingOptions.epochs(1));
        PlateauWatch watch = new PlateauWatch(PlateauClassifier.defaults(), PlateauWatch.Options.defaults(), Tensor.zeros(4, 2), Tensor.zeros(4, 1));
        for (int step = 1; step <= 5; step++) watch.onBatchEnd(trainer, new BatchEvent(step, 0, step - 1, 10, 4, 1.0, Double.NaN, 1), null);
        assertTrue(watch.constantRate(), "five steps at lr 0.1");
        sgd.setLrScale(0.5); // a schedule or a repair lowering the rate
        watch.onBatchEnd(trainer, new BatchEvent(6, 0, 5, 10, 4, 1.0, Double.NaN, 0.5), null);
        assertFalse(watch.constantRate(), "step 6 ran at lr 0.05");
        sgd.setLrScale(1); // back at the first rate: it still changed during the run
        watch.onBatchEnd(trainer, new BatchEvent(7, 0, 6, 10, 4, 1.0, Double.NaN, 1), null);
        assertFalse(watch.constantRate());
    }
}
