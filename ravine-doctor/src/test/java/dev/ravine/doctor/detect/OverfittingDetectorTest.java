package dev.ravine.doctor.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.doctor.finding.Finding;
import dev.ravine.doctor.finding.RunFacts;
import dev.ravine.train.EpochEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OverfittingDetectorTest {
    private static final RunFacts FACTS = new RunFacts(0.01, "adam", 3, List.of("linear"));

    private static List<EpochEvent> epochs(double[] train, double[] val) {
        List<EpochEvent> out = new ArrayList<>();
        for (int e = 0; e < train.length; e++) out.add(new EpochEvent(e, (e + 1) * 100L, train[e], Double.NaN, val[e], 0.5, 1, 1));
        return out;
    }

    @Test
    void validationLossRisingWhileTrainingLossFallsIsOverfitting() {
        List<EpochEvent> e = epochs(new double[] {1.0, 0.7, 0.5, 0.3, 0.2, 0.1}, new double[] {1.0, 0.8, 0.7, 0.75, 0.85, 1.0});
        Finding f = OverfittingDetector.defaults().examine(e, FACTS).orElseThrow();
        assertEquals("overfitting", f.id());
        assertEquals(300, f.firstStep(), "the best epoch's step");
        assertTrue(f.evidence().get(1).startsWith("best epoch 2"), f.evidence().toString());
        assertTrue(f.evidence().get(2).contains("gap now 0.9"), f.evidence().toString());
        assertTrue(f.remedies().getFirst().change().startsWith("training.early_stopping"));
    }

    @Test
    void silentWhenBothFallOrWithoutValidation() {
        assertTrue(OverfittingDetector.defaults().examine(epochs(new double[] {1, 0.8, 0.6, 0.5, 0.4}, new double[] {1, 0.9, 0.8, 0.7, 0.65}), FACTS).isEmpty());
        double nan = Double.NaN;
        assertTrue(OverfittingDetector.defaults().examine(epochs(new double[] {1, 0.8, 0.6, 0.5, 0.4}, new double[] {nan, nan, nan, nan, nan}), FACTS).isEmpty());
        // two rising epochs are not yet the three of the default patience
        assertTrue(OverfittingDetector.defaults().examine(epochs(new double[] {1, 0.8, 0.6, 0.5}, new double[] {1, 0.7, 0.8, 0.9}), FACTS).isEmpty());
    }
}
