package dev.ravine.app.compare;

import dev.ravine.app.report.ReportData;
import dev.ravine.app.store.RunDirectory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Two or more runs side by side: each run's report data and config, and the config keys whose values differ between
 * them (a key one run lacks counts as different). What {@code ravine compare} prints and the compare page shows.
 */
public record RunComparison(List<ComparedRun> runs, List<String> differingKeys) {
    /** The metrics the table and page show, in order: summary.json key and heading. */
    static final List<String[]> METRICS = List.of(new String[] {"train_loss", "train loss"}, new String[] {"val_loss", "val loss"},
            new String[] {"val_accuracy", "val acc"}, new String[] {"test_loss", "test loss"}, new String[] {"test_accuracy", "test acc"},
            new String[] {"steps", "steps"});

    /** The comparison of the given run folders; each must be a run folder written by ravine train. */
    public static RunComparison of(List<Path> folders) {
        if (folders.size() < 2) throw new IllegalArgumentException("give at least two run folders to compare (got " + folders.size() + ")");
        List<ComparedRun> runs = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (Path folder : folders) {
            RunDirectory run = RunDirectory.of(folder);
            var data = ReportData.read(run.root());
            String name = run.root().getFileName().toString();
            int n = seen.merge(name, 1, Integer::sum);
            String label = n == 1 ? name : name + " (" + n + ")";
            runs.add(new ComparedRun(run.root(), label, data, FlatConfig.of(data.path("config").path("text").asText(""))));
        }
        return new RunComparison(List.copyOf(runs), differing(runs));
    }

    private static List<String> differing(List<ComparedRun> runs) {
        Set<String> keys = new LinkedHashSet<>();
        runs.forEach(r -> keys.addAll(r.config().keySet()));
        List<String> out = new ArrayList<>();
        for (String key : keys) {
            String first = runs.getFirst().config().get(key);
            if (runs.stream().anyMatch(r -> !Objects.equals(r.config().get(key), first))) out.add(key);
        }
        return out;
    }
}
