package dev.ravine.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ravine.app.build.RunAssembly;
import dev.ravine.app.build.RunOptimizer;
import dev.ravine.app.config.ConfigException;
import dev.ravine.app.config.ConfigReader;
import dev.ravine.app.config.ConfigWriter;
import dev.ravine.app.config.RunConfig;
import dev.ravine.doctor.finding.ConfigPatch;
import dev.ravine.doctor.finding.Remedies;
import dev.ravine.doctor.finding.Remedy;
import dev.ravine.doctor.finding.RunFacts;
import dev.ravine.train.Trainer;
import dev.ravine.train.TrainingOptions;
import dev.ravine.train.TrainingResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every remedy the doctor can give ({@link Remedies#catalog}, the only source the detectors draw from) applied to a
 * config it fits: each patch goes through --set, the config reader accepts the result, and it trains. Three base runs
 * cover the conditional remedies: an SGD sigmoid/ReLU MLP (momentum, weight decay, activation swaps), the same with
 * Adam (eps, AMSGrad) and an embedding-RNN-LSTM sequence model (the gated cell, the forget bias).
 */
class RemediesApplyTest {
    @TempDir
    Path dir;

    private static final String MLP = """
            seed: 3
            data:
              train: idx:%s/train
              validation_split: 0.25
              train_subset: 64
              normalize: scale01
              shuffle: false
            model:
              input: [1, 28, 28]
              layers:
                - flatten
                - linear: {out: 16}
                - sigmoid
                - linear: {out: 16}
                - relu
                - linear: {out: 10}
            loss: cross_entropy
            optimizer: %s
            training: {epochs: 1, batch_size: 24}
            """;

    private static final String SEQUENCE = """
            seed: 3
            data:
              train: sequence:vocab=10,length=6,samples=160,seed=1
              validation_split: 0.25
              normalize: none
              shuffle: false
            model:
              layers:
                - embedding: {num_embeddings: 10, dim: 8}
                - rnn: {hidden: 8, return_sequences: true}
                - lstm: {hidden: 8}
                - linear: {out: 10}
            loss: cross_entropy
            optimizer: {name: adam, lr: 0.01}
            training: {epochs: 1, batch_size: 24}
            """;

    @Test
    void everyRemedyOfTheCatalogAppliesParsesAndTrains() throws Exception {
        String mnist = TestData.shippedMnist().toString();
        int covered = 0;
        List<String> seen = new ArrayList<>();
        covered += check("sgd-mlp", MLP.formatted(mnist, "{name: sgd, lr: 0.1}"), seen);
        covered += check("adam-mlp", MLP.formatted(mnist, "{name: adam, lr: 0.001}"), seen);
        covered += check("sequence", SEQUENCE, seen);
        // the conditional remedies appear where they fit: these would be missing if the catalog lost them
        for (String expected : List.of("optimizer.momentum: 0.9", "optimizer.amsgrad: true", "optimizer.eps: 1e-8 -> 1e-6",
                "model.layers[2]: sigmoid -> relu", "model.layers[4]: relu -> leaky_relu", "model.layers[1]: rnn -> gru (or lstm)",
                "model.layers[2].lstm.forget_bias: 1.0", "add batchnorm after each hidden linear/conv layer", "loss.weight: balanced",
                "data.sampler: balanced", "training.early_stopping: {monitor: val_loss, patience: 3}", "data.augment: {shift: 2, rotate: 10}")) {
            assertTrue(seen.contains(expected), expected + " not in " + seen);
        }
        assertTrue(covered >= 60, "remedies covered: " + covered);
        System.out.println("RemediesApplyTest: " + covered + " remedies applied, parsed and trained (" + seen.stream().distinct().count() + " distinct)");
    }

    /** Applies, reads and trains every catalog remedy for the run of {@code yaml}; returns how many it checked. */
    private int check(String name, String yaml, List<String> seen) throws Exception {
        Path base = dir.resolve(name + ".yaml");
        Files.writeString(base, yaml);
        RunConfig config = ConfigReader.read(base, List.of(), dir);
        List<Remedy> catalog = Remedies.catalog(facts(config));
        for (Remedy r : catalog) {
            assertFalse(r.patches().isEmpty(), r.change() + " has no config patch");
            List<String> sets = r.patches().stream().map(ConfigPatch::setArgument).toList();
            RunConfig patched;
            try {
                patched = ConfigReader.read(base, sets, dir);
            } catch (ConfigException e) {
                fail(name + ": remedy '" + r.change() + "' (" + sets + ") is rejected by the config reader: " + e.getMessage());
                return 0;
            }
            // the patch changed the config: its written form differs from the base run's
            assertFalse(ConfigWriter.write(patched, List.of()).equals(ConfigWriter.write(config, List.of())), r.change() + " changed nothing");
            TrainingResult result = trainOneEpoch(patched);
            assertTrue(result.steps() >= 1 && Double.isFinite(result.trainLoss()), name + ": " + r.change() + " -> " + result);
            seen.add(r.change());
        }
        return catalog.size();
    }

    private static RunFacts facts(RunConfig config) {
        List<String> kinds = config.model().layers().stream().map(l -> l.kind().id()).toList();
        return new RunFacts(config.optimizer().lr(), config.optimizer().name(),
                RunOptimizer.assembly(config.optimizer(), config.toolbox()).core(), 10, kinds)
                .withLayerYaml(config.model().layers().stream().map(ConfigWriter::flow).toList());
    }

    private static TrainingResult trainOneEpoch(RunConfig config) {
        RunAssembly a = RunAssembly.of(config);
        Trainer trainer = new Trainer(a.model().network(), a.loss(), a.optimizer(), a.rng(), TrainingOptions.epochs(1));
        a.stepHooks().forEach(trainer::addStepHook);
        if (a.scheduleListener() != null) trainer.addListener(a.scheduleListener());
        if (a.earlyStopping() != null) trainer.addListener(a.earlyStopping());
        TrainingResult result = trainer.fit(a.trainLoader(), a.validationLoader());
        assertEquals(1, result.epochs(), "one epoch");
        return result;
    }
}
