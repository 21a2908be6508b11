package dev.ravine.app.sweep;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A finished sweep: its folder, grid, seeds, how it ran (parallel trials x threads each) and every trial's outcome;
 * the per-combination statistics are computed from the outcomes.
 */
public record SweepResult(Path folder, Grid grid, int seeds, int parallel, int threads, double wallSeconds, List<TrialOutcome> trials) {

    /** One combination's trials and the mean ± 95% CI over its seeds of each metric. */
    public record Combination(Map<String, String> values, List<TrialOutcome> trials, SeedStatistics valAccuracy, SeedStatistics valLoss,
                              SeedStatistics testAccuracy) {}

    public List<Combination> combinations() {
        List<Combination> out = new ArrayList<>();
        for (Map<String, String> c : grid.combinations()) {
            List<TrialOutcome> mine = trials.stream().filter(t -> t.trial().combination().equals(c)).toList();
            // a trial stopped early has no final metrics to average: it is counted, not averaged
            List<TrialOutcome> finished = mine.stream().filter(t -> t.stoppedBy() == null).toList();
            out.add(new Combination(c, mine, SeedStatistics.of(finished.stream().map(TrialOutcome::valAccuracy).toList()),
                    SeedStatistics.of(finished.stream().map(TrialOutcome::valLoss).toList()),
                    SeedStatistics.of(finished.stream().map(TrialOutcome::testAccuracy).toList())));
        }
        return out;
    }

    public long stoppedEarly() {
        return trials.stream().filter(t -> t.stoppedBy() != null).count();
    }

    /** The trials' own wall times added up: what running them one after another would roughly take. */
    public double trialSeconds() {
        return trials.stream().mapToDouble(TrialOutcome::wallSeconds).sum();
    }
}
