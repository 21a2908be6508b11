package dev.ravine.doctor.finding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The catalog is the only source of remedies, and its layer edits write the lists and paths they should. */
class RemediesTest {
    private static final RunFacts MLP = new RunFacts(0.1, "sgd", 10,
            List.of("flatten", "linear", "sigmoid", "linear", "relu", "linear"))
            .withLayerYaml(List.of("flatten", "linear: {out: 16}", "sigmoid", "linear: {out: 16}", "relu", "linear: {out: 10}"));

    @Test
    void detectorsMakeRemediesOnlyThroughTheCatalog() throws IOException {
        Path main = Path.of("src/main/java/dev/ravine/doctor");
        try (Stream<Path> files = Files.walk(main)) {
            List<Path> offenders = files.filter(p -> p.toString().endsWith(".java") && !p.endsWith("Remedies.java"))
                    .filter(p -> read(p).contains("new Remedy(")).toList();
            assertEquals(List.of(), offenders, "remedies made outside Remedies (the catalog the apply test checks)");
        }
    }

    @Test
    void layerEditsWriteTheWholeListWithTheInsertedLayers() {
        assertEquals("model.layers: [flatten, {linear: {out: 16}}, batchnorm, sigmoid, {linear: {out: 16}}, batchnorm, relu, {linear: {out: 10}}]",
                Remedies.batchnormAfterWeighted(MLP, "").orElseThrow().patchText());
        assertEquals("model.layers[1].linear.init: xavier_normal; model.layers[3].linear.init: he_normal; model.layers[5].linear.init: xavier_normal",
                Remedies.initializationFitting(MLP, "").orElseThrow().patchText());
        assertEquals("model.layers[1].linear.out: 32; model.layers[3].linear.out: 32", Remedies.wider(MLP, 2, "").orElseThrow().patchText());
        assertEquals("model.layers: [flatten, {linear: {out: 16}}, sigmoid, {dropout: {p: 0.3}}, {linear: {out: 16}}, relu, {dropout: {p: 0.3}},"
                + " {linear: {out: 10}}]", Remedies.dropoutAfterHidden(MLP, "").orElseThrow().patchText());
    }

    @Test
    void remediesNeedingTheLayerTextAreLeftOutWhenOnlyKindsAreKnown() {
        RunFacts kindsOnly = new RunFacts(0.1, "sgd", 10, MLP.layerKinds());
        assertTrue(Remedies.batchnormAfterWeighted(kindsOnly, "").isEmpty());
        assertTrue(Remedies.deeper(kindsOnly).isEmpty());
        assertTrue(Remedies.initializationFitting(kindsOnly, "").isPresent(), "init paths need only the kinds");
    }

    @Test
    void optimizerOptionsOnlyWhereTheOptimizerHasThem() {
        RunFacts adam = new RunFacts(0.001, "adam", 10, MLP.layerKinds());
        assertTrue(Remedies.momentum(adam, "").isEmpty());
        assertTrue(Remedies.adam(adam, "").isEmpty(), "Adam is no remedy for an Adam run");
        assertEquals("optimizer.eps: 1.0e-6", Remedies.eps(adam, "1e-8 -> 1e-6", "").orElseThrow().patchText());
        assertEquals("optimizer.lr: 0.03333", Remedies.learningRate(0.1, 0.1 / 3, "").patchText());
    }

    @Test
    void patchesReadBackAsWritten() {
        Remedy r = Remedies.batchnormAfterWeighted(MLP, "").orElseThrow();
        assertEquals(r.patches(), Remedy.parsePatches(r.patchText()));
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
