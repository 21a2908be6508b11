package dev.ravine.lab;

import dev.ravine.lab.labs.AdagradBurstsLab;
import dev.ravine.lab.labs.AdamBlowUpLab;
import dev.ravine.lab.labs.BatchNormSmoothnessLab;
import dev.ravine.lab.labs.BatchSizeLab;
import dev.ravine.lab.labs.CriticalPointsLab;
import dev.ravine.lab.labs.DeeperNetsLab;
import dev.ravine.lab.labs.FullBatchLab;
import dev.ravine.lab.labs.NonConvergenceLab;
import dev.ravine.lab.labs.OptimizerPathsLab;
import dev.ravine.lab.labs.OverfittingRemediesLab;
import dev.ravine.lab.labs.RbmPretrainingLab;
import dev.ravine.lab.labs.StuckNotSmallLab;
import dev.ravine.lab.labs.VanishingExplodingLab;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Every registered lab, in number order: add a new lab's class to {@link #ALL} (one line). */
public final class LabCatalog {
    private static final List<Lab> ALL = List.<Lab>of(
            new OptimizerPathsLab(),
            new AdagradBurstsLab(),
            new StuckNotSmallLab(),
            new CriticalPointsLab(),
            new DeeperNetsLab(),
            new VanishingExplodingLab(),
            new AdamBlowUpLab(),
            new BatchNormSmoothnessLab(),
            new BatchSizeLab(),
            new NonConvergenceLab(),
            new FullBatchLab(),
            new RbmPretrainingLab(),
            new OverfittingRemediesLab()
    ).stream().sorted(Comparator.comparingInt(Lab::number)).toList();

    private LabCatalog() {}

    public static List<Lab> all() {
        return ALL;
    }

    public static List<String> names() {
        return ALL.stream().map(Lab::name).toList();
    }

    public static Optional<Lab> find(String name) {
        return ALL.stream().filter(l -> l.name().equals(name)).findFirst();
    }
}
