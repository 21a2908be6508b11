package dev.ravine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.ravine.data.DataLoader;
import dev.ravine.data.GaussianBlobs;
import dev.ravine.io.Checkpoint;
import dev.ravine.io.CheckpointFile;
import dev.ravine.nn.Activation;
import dev.ravine.nn.Dropout;
import dev.ravine.nn.Linear;
import dev.ravine.nn.Module;
import dev.ravine.nn.Sequential;
import dev.ravine.nn.loss.CrossEntropyLoss;
import dev.ravine.optim.Optimizer;
import dev.ravine.optim.OptimizerAssembly;
import dev.ravine.optim.Optimizers;
import dev.ravine.schedule.Interval;
import dev.ravine.schedule.LrSchedule;
import dev.ravine.schedule.ReduceOnPlateau;
import dev.ravine.schedule.ScheduleSetting;
import dev.ravine.schedule.Schedules;
import dev.ravine.schedule.Stepped;
import dev.ravine.tensor.Rng;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The resume contract through real checkpoint files, for every registered optimizer and every schedule: a
 * run is stopped mid-epoch, its newest checkpoint file is read back into a fresh model and optimizer, and every later
 * loss and the final weights must equal the uninterrupted run's bit for bit (dropout draws included).
 */
class ResumeEveryOptimizerTest {
    private static final int EPOCHS = 4;
    private static final int STOP_AT = 7; // 3 steps per epoch: the stop falls in the middle of epoch 3

    /** How to build the optimizer of a case on a model's parameters. */
    interface Build {
        Optimizer create(Map<String, dev.ravine.tensor.Tensor> params);
    }

    record Case(String name, Build build, ReduceOnPlateau[] plateau) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String name : Optimizers.names()) {
            Map<String, Object> options = name.equals("lbfgs") ? Map.of("max_iter", 4, "line_search_fn", "strong_wolfe") : Map.of();
            out.add(Arguments.of(new Case("optimizer " + name, p -> Optimizers.byName(name, options, p), null)));
        }
        Map<String, Map<String, Object>> schedules = new LinkedHashMap<>();
        schedules.put("constant", Map.of("total_iters", 4L));
        schedules.put("step", Map.of("step_size", 2L));
        schedules.put("multistep", Map.of("milestones", new long[] {3, 8}));
        schedules.put("exponential", Map.of("gamma", 0.8));
        schedules.put("cosine", Map.of("t_max", 5L));
        schedules.put("cosine_warm_restarts", Map.of("t_0", 2L, "t_mult", 2L));
        schedules.put("linear", Map.of("total_iters", 6L));
        schedules.put("inverse_sqrt", Map.of("warmup_steps", 4L));
        schedules.put("one_cycle", Map.of("max_lr", 0.2, "total_steps", 12L));
        schedules.put("reduce_on_plateau", Map.of("patience", 0L, "factor", 0.5, "threshold", 0.5, "monitor", "train_loss"));
        schedules.put("sequential", Map.of("schedules", List.of(new ScheduleSetting("linear", Map.of("total_iters", 3L)),
                new ScheduleSetting("exponential", Map.of("gamma", 0.7))), "milestones", new long[] {3}));
        for (var e : schedules.entrySet()) {
            ScheduleSetting setting = new ScheduleSetting(e.getKey(), e.getValue());
            for (Interval interval : List.of(Interval.STEP, Interval.EPOCH)) {
                ReduceOnPlateau[] plateau = new ReduceOnPlateau[1];
                Build build = p -> OptimizerAssembly.of("sgd", Map.of("lr", 0.1, "momentum", 0.9)).withSchedule(lr -> {
                    LrSchedule s = setting.build(lr);
                    if (s instanceof ReduceOnPlateau r) plateau[0] = r;
                    return new Stepped(s, interval, 3);
                }).build(p);
                out.add(Arguments.of(new Case("schedule " + e.getKey() + " per " + interval.id(), build, plateau)));
            }
        }
        // cycle_momentum: the momentum (SGD) and beta1 (Adam) the schedule sets at each step resume with the step count
        ScheduleSetting oneCycle = new ScheduleSetting("one_cycle", Map.of("max_lr", 0.2, "total_steps", 12L, "cycle_momentum", true));
        ScheduleSetting cyclic = new ScheduleSetting("cyclic", Map.of("max_lr", 0.05, "step_size_up", 2L, "cycle_momentum", true));
        for (String name : List.of("sgd", "adam")) {
            for (ScheduleSetting setting : List.of(oneCycle, cyclic)) {
                Build build = p -> OptimizerAssembly.of(name, Map.of("lr", 0.01)).withSchedule(lr -> new Stepped(setting.build(lr), Interval.STEP, 3))
                        .build(p);
                out.add(Arguments.of(new Case("schedule " + setting.name() + " cycling the momentum of " + name, build, null)));
            }
        }
        return out.stream();
    }

    private record Run(Module model, Trainer trainer, List<Double> losses) {}

    private static Run newRun(Case c, Path checkpoints) {
        Rng rng = new Rng(5);
        Module model = new Sequential(new Linear(6, 12, true, rng), new Activation(Activation.Kind.TANH), new Dropout(0.1, rng), new Linear(12, 3, true, rng));
        Optimizer optimizer = c.build.create(model.namedParameters());
        TrainingOptions options = TrainingOptions.epochs(EPOCHS);
        if (checkpoints != null) options = options.withCheckpoints(checkpoints, 3);
        Trainer trainer = new Trainer(model, new CrossEntropyLoss(), optimizer, rng, options);
        if (c.plateau != null && c.plateau[0] != null) trainer.addListener(new PlateauListener(c.plateau[0], "train_loss"));
        List<Double> losses = new ArrayList<>();
        trainer.addListener(new TrainingListener() {
            @Override
            public void onBatchEnd(Trainer t, BatchEvent e) {
                losses.add(e.loss());
                if (checkpoints != null && e.step() == STOP_AT) t.requestStop("test interrupt");
            }
        });
        return new Run(model, trainer, losses);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void resumingFromTheCheckpointFileContinuesBitIdentically(Case c, @TempDir Path dir) throws Exception {
        DataLoader loader = new DataLoader(GaussianBlobs.generate(90, 4), 32, true, false, 3);

        Run full = newRun(c, null);
        full.trainer.fit(loader, null);
        assertEquals(EPOCHS * 3, full.losses.size());

        Run first = newRun(c, dir);
        assertEquals(TrainingStatus.STOPPED, first.trainer.fit(loader, null).status());
        Path latest = Trainer.latestCheckpoint(dir);
        assertNotNull(latest);
        Checkpoint saved = CheckpointFile.read(latest);
        assertEquals(STOP_AT, saved.step());

        Run resumed = newRun(c, null);
        resumed.trainer.resume(saved);
        resumed.trainer.fit(loader, null);
        List<Double> expected = full.losses.subList(STOP_AT, full.losses.size());
        assertEquals(expected, resumed.losses, c + ": losses after resuming");
        for (var e : full.model.namedParameters().entrySet()) {
            assertArrayEquals(e.getValue().values(), resumed.model.namedParameters().get(e.getKey()).values(), 0f, c + " " + e.getKey());
        }
        assertNotEquals(full.losses.get(0), full.losses.get(full.losses.size() - 1), c + ": the run must move");
    }
}
