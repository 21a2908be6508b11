package dev.ravine.app.sweep;

import dev.ravine.app.TextFormat;
import dev.ravine.app.compare.TextTable;
import java.util.List;

/** A finished sweep for a terminal: per combination the mean ± 95% CI over seeds, then each trial's outcome. */
public final class SweepTable {
    private SweepTable() {}

    public static String render(SweepResult s) {
        StringBuilder b = new StringBuilder();
        b.append(header(s)).append('\n');
        b.append("per combination (mean ± 95% confidence interval over seeds, Student t; trials stopped early are not averaged):\n");
        TextTable t = new TextTable().row(List.of("combination", "finished", "val accuracy", "val loss", "test accuracy"));
        for (SweepResult.Combination c : s.combinations()) {
            long finished = c.trials().stream().filter(o -> o.stoppedBy() == null).count();
            t.row(List.of(Grid.describe(c.values()), finished + "/" + c.trials().size(), percent(c.valAccuracy()), loss(c.valLoss()),
                    percent(c.testAccuracy())));
        }
        b.append(t.render("  "));
        b.append("trials:\n");
        TextTable r = new TextTable().row(List.of("trial", "seed", "status", "val acc", "val loss", "wall", "top finding"));
        for (TrialOutcome o : s.trials()) {
            r.row(List.of(o.trial().folder().getFileName().toString(), String.valueOf(o.trial().seed()), o.status(),
                    TextFormat.percent(o.valAccuracy()), Double.isNaN(o.valLoss()) ? "-" : TextFormat.loss(o.valLoss()),
                    TextFormat.duration(o.wallSeconds()), o.topFinding() == null ? "none" : o.topFinding()));
        }
        b.append(r.render("  "));
        for (TrialOutcome o : s.trials()) {
            if (o.stoppedBy() != null) b.append("stopped early: ").append(o.trial().folder().getFileName()).append(": ").append(o.reason()).append('\n');
        }
        return b.toString();
    }

    static String header(SweepResult s) {
        return s.trials().size() + " trials (" + s.grid().combinations().size() + " combinations x " + s.seeds() + " seeds), "
                + s.parallel() + " in parallel x " + s.threads() + " threads each; wall " + TextFormat.duration(s.wallSeconds())
                + " (the trials' own times add up to " + TextFormat.duration(s.trialSeconds()) + "); stopped early by the doctor: "
                + s.stoppedEarly() + " of " + s.trials().size();
    }

    static String percent(SeedStatistics st) {
        if (st.n() == 0) return "-";
        String mean = TextFormat.percent(st.mean());
        return Double.isNaN(st.halfWidth()) ? mean + " (n=1)" : mean + " ± " + TextFormat.fixed(100 * st.halfWidth(), 2) + " pp";
    }

    static String loss(SeedStatistics st) {
        if (st.n() == 0) return "-";
        String mean = TextFormat.loss(st.mean());
        return Double.isNaN(st.halfWidth()) ? mean + " (n=1)" : mean + " ± " + TextFormat.loss(st.halfWidth());
    }
}
