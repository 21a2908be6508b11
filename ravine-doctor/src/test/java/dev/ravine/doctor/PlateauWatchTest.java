package dev.ravine.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.optim.Chain;
import dev.ravine.optim.ClipByGlobalNorm;
import dev.ravine.optim.Optimizer;
import dev.ravine.optim.Optimizers;
import dev.ravine.optim.ScaleByLearningRate;
import dev.ravine.optim.Schedule;
import dev.ravine.tensor.Tensor;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The plateau watch's own judgements: the step clipping took, and a flat stretch's ravine against the losses after it. */
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
    void theClipsScaleIsMaxNormOverTheGradientsNormWhenItClips() {
        Tensor w = Tensor.of(new float[] {0, 0}, 2).requiresGrad(true);
        Optimizer clipped = Optimizer.of(Map.of("w", w), Chain.of(new ClipByGlobalNorm(0.2), new ScaleByLearningRate(Schedule.constant(1.0))));
        w.setGrad(Tensor.of(new float[] {0.3f, 0.4f}, 2)); // norm 0.5: scaled by 0.4
        clipped.step();
        assertEquals(0.4, PlateauWatch.clipScale(clipped), 1e-5);
        w.setGrad(Tensor.of(new float[] {0.03f, 0.04f}, 2)); // norm 0.05: below the max, not scaled
        clipped.step();
        assertEquals(1.0, PlateauWatch.clipScale(clipped), 0);
        Tensor v = Tensor.of(new float[] {0, 0}, 2).requiresGrad(true);
        Optimizer plain = Optimizers.sgd(Map.of("v", v), 1.0);
        v.setGrad(Tensor.of(new float[] {3, 4}, 2));
        plain.step();
        assertEquals(1.0, PlateauWatch.clipScale(plain), 0, "no clip: the step is lr x the gradient");
    }
}
