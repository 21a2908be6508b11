package dev.ravine.lab;

import dev.ravine.lab.labs.AdagradBurstsLab;
import dev.ravine.lab.labs.CriticalPointsLab;
import dev.ravine.lab.labs.OptimizerPathsLab;
import dev.ravine.lab.labs.StuckNotSmallLab;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Every registered lab, in number order: add a new lab's class to {@link #ALL} (one line). */
public final class LabCatalog {
    private static final List<Lab> ALL = List.<Lab>of(
            new OptimizerPathsLab(),
            new AdagradBurstsLab(),
            new StuckNotSmallLab(),
            new CriticalPointsLab()
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
