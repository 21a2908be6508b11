package dev.ravine.app.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sweep's mean ± 95% CI (Student t, values from a t table) and its grid's combinations. */
class SeedStatisticsTest {
    @Test
    void threeSeedsUseTheTQuantileWithTwoDegreesOfFreedom() {
        SeedStatistics s = SeedStatistics.of(List.of(0.80, 0.82, 0.84));
        assertEquals(3, s.n());
        assertEquals(0.82, s.mean(), 1e-12);
        // s = 0.02, t(0.975, 2) = 4.302653
        assertEquals(4.302653 * 0.02 / Math.sqrt(3), s.halfWidth(), 1e-6);
    }

    @Test
    void missingValuesAreLeftOutAndOneValueHasNoInterval() {
        SeedStatistics two = SeedStatistics.of(Arrays.asList(1.0, Double.NaN, 3.0, null));
        assertEquals(2, two.n());
        assertEquals(2.0, two.mean(), 1e-12);
        assertEquals(12.706205 * Math.sqrt(2) / Math.sqrt(2), two.halfWidth(), 1e-5);
        SeedStatistics one = SeedStatistics.of(List.of(0.5));
        assertEquals(0.5, one.mean());
        assertTrue(Double.isNaN(one.halfWidth()));
        assertEquals(0, SeedStatistics.of(List.of(Double.NaN)).n());
    }

    @Test
    void theGridCombinesEveryValueOfEveryAxisFirstAxisSlowest() {
        Grid g = Grid.parse(List.of("optimizer.lr=0.1,0.01", "training.batch_size=16,32,64"));
        List<Map<String, String>> c = g.combinations();
        assertEquals(6, c.size());
        assertEquals("optimizer.lr=0.1 training.batch_size=16", Grid.describe(c.get(0)));
        assertEquals("optimizer.lr=0.01 training.batch_size=64", Grid.describe(c.get(5)));
    }

    @Test
    void aBadGridArgumentSaysTheExpectedForm() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Grid.parse(List.of("optimizer.lr")));
        assertTrue(e.getMessage().contains("expected KEY.PATH=V1,V2"), e.getMessage());
    }
}
