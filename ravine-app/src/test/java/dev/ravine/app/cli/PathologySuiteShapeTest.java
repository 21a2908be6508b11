package dev.ravine.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.app.config.ConfigReader;
import dev.ravine.app.config.RunConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The whole pathology suite is well formed without training it (tools/pathology_suite.py trains it): every config has
 * its expected finding and its half, every pathology a counterfactual, the config and the config with its counterfactual
 * applied both read, and the suite spans what it promises: 60+ pathologies and 15+ controls, 4+ optimizers, 3+ data
 * sources, each of the eight halves non-empty.
 */
class PathologySuiteShapeTest {
    /** tuning (tuned on), heldout (reported on), fresh, fresh2, fresh3, fresh4, fresh5 and fresh6 (later blind batches, not tuned on while blind). */
    static final Set<String> HALVES = Set.of("tuning", "heldout", "fresh", "fresh2", "fresh3", "fresh4", "fresh5", "fresh6");

    record Case(Path file, String expect, String half, List<String> counterfactual) {}

    static Case header(Path file) throws Exception {
        String expect = null, half = null;
        List<String> cf = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.startsWith("#")) break;
            if (line.startsWith("# expect:")) expect = line.substring(9).trim();
            if (line.startsWith("# half:")) half = line.substring(7).trim();
            if (line.startsWith("# counterfactual:")) cf.add(line.substring(17).trim());
        }
        return new Case(file, expect, half, cf);
    }

    @Test
    void everyCaseAndItsCounterfactualReadAndTheSuiteSpansWhatItPromises() throws Exception {
        List<Case> cases = new ArrayList<>();
        try (Stream<Path> s = Files.list(PathologySuiteTest.suite())) {
            for (Path p : s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) cases.add(header(p));
        }
        Path root = PathologySuiteTest.suite().getParent().getParent();
        Set<String> optimizers = new HashSet<>(), sources = new HashSet<>(), halves = new HashSet<>();
        int pathologies = 0, controls = 0;
        for (Case c : cases) {
            String name = c.file().getFileName().toString();
            assertTrue(c.expect() != null && !c.expect().isEmpty(), name + ": no '# expect:' line");
            assertTrue(HALVES.contains(c.half()), name + ": '# half:' must be tuning, heldout, fresh, fresh2, fresh3, fresh4, fresh5 or fresh6, is " + c.half());
            halves.add(c.half());
            RunConfig config = ConfigReader.read(c.file(), List.of(), root);
            optimizers.add(config.optimizer().name());
            sources.add(config.data().train().format().id());
            if (c.expect().equals("healthy")) {
                controls++;
            } else {
                pathologies++;
                assertTrue(!c.counterfactual().isEmpty(), name + ": a pathology needs a '# counterfactual:' line");
                ConfigReader.read(c.file(), c.counterfactual(), root);
            }
        }
        assertTrue(pathologies >= 60 && controls >= 15, pathologies + " pathologies, " + controls + " controls");
        assertTrue(optimizers.size() >= 4, "optimizers " + optimizers);
        assertTrue(sources.size() >= 3, "data sources " + sources);
        assertEquals(HALVES, halves);
    }
}
