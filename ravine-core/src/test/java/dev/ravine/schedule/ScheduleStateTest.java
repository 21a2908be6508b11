package dev.ravine.schedule;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.io.Checkpoint;
import dev.ravine.io.CheckpointFile;
import dev.ravine.nn.Linear;
import dev.ravine.optim.Optimizer;
import dev.ravine.optim.OptimizerAssembly;
import dev.ravine.optim.Optimizers;
import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stateful schedules survive a checkpoint bit-exactly; the epoch mapping and the optimizer wiring. */
class ScheduleStateTest {
    static ReduceOnPlateau plateau() {
        return new ReduceOnPlateau(0.1, "min", 0.5, 1, 1e-4, "rel", 1, 1e-4, 1e-8);
    }

    static final double[] METRICS = {1.0, 0.9, 0.9, 0.91, 0.95, 0.8, 0.8, 0.8, 0.81, 0.79, 0.79, 0.79, 0.79, 0.79};

    @Test
    void reduceOnPlateauStateRestoresExactly() {
        ReduceOnPlateau a = plateau();
        for (int i = 0; i < 7; i++) a.observe(METRICS[i]);
        long[] saved = a.counters().get("plateau").clone();
        ReduceOnPlateau b = plateau();
        System.arraycopy(saved, 0, b.counters().get("plateau"), 0, saved.length);
        assertEquals(a.lr(), b.lr());
        assertEquals(a.badEpochs(), b.badEpochs());
        assertEquals(a.cooldownCounter(), b.cooldownCounter());
        for (int i = 7; i < METRICS.length; i++) {
            a.observe(METRICS[i]);
            b.observe(METRICS[i]);
            assertEquals(Double.doubleToRawLongBits(a.lr()), Double.doubleToRawLongBits(b.lr()));
            assertArrayEquals(a.counters().get("plateau"), b.counters().get("plateau"));
        }
        assertTrue(a.lr() < 0.1);
    }

    @Test
    void sequentialIsAPureFunctionOfTheTickAndResumesAnywhere() {
        Sequential s = new Sequential(List.of(new LinearWarmup(0.1, 0.1, 1, 20), new CosineAnnealing(0.1, 480, 0)), new long[] {20});
        assertTrue(s.counters().isEmpty());
        Sequential copy = new Sequential(List.of(new LinearWarmup(0.1, 0.1, 1, 20), new CosineAnnealing(0.1, 480, 0)), new long[] {20});
        for (long t = 0; t < 500; t++) assertEquals(Double.doubleToRawLongBits(s.lrAt(t)), Double.doubleToRawLongBits(copy.lrAt(t)));
        assertEquals(0.01, s.lrAt(0), 1e-15);
        assertEquals(0.1, s.lrAt(20), 1e-15);
        assertEquals(new CosineAnnealing(0.1, 480, 0).lrAt(5), s.lrAt(25));
        assertThrows(IllegalArgumentException.class, () -> new Sequential(List.of(plateau(), new Exponential(0.1, 0.9)), new long[] {3}));
    }

    @Test
    void epochIntervalMapsStepsToEpochs() {
        Stepped st = new Stepped(new Step(1.0, 1, 0.5), Interval.EPOCH, 3);
        assertEquals(1.0, st.learningRate(1));
        assertEquals(1.0, st.learningRate(3));
        assertEquals(0.5, st.learningRate(4));
        assertEquals(0.25, st.learningRate(7));
        Stepped perStep = new Stepped(new Step(1.0, 1, 0.5), Interval.STEP, 3);
        assertEquals(1.0, perStep.learningRate(1));
        assertEquals(0.5, perStep.learningRate(2));
    }

    @Test
    void optimizerCheckpointCarriesThePlateauState(@TempDir Path dir) throws Exception {
        Rng rng = new Rng(3);
        Linear model = new Linear(3, 2, true, rng);
        Map<String, Tensor> params = model.namedParameters();
        Optimizer opt = OptimizerAssembly.of("sgd", Map.of("lr", 0.1, "momentum", 0.9)).withSchedule(lr -> plateau()).build(params);
        ReduceOnPlateau p = Schedules.plateau(((dev.ravine.optim.ScaleByLearningRate) ((dev.ravine.optim.Chain) opt.transform()).links().getLast()).schedule());
        for (int i = 0; i < 7; i++) p.observe(METRICS[i]);
        assertTrue(opt.state().counters().keySet().stream().anyMatch(k -> k.endsWith("schedule.plateau")), opt.state().counters().keySet().toString());
        Checkpoint c = Checkpoint.capture(model, opt, rng, 7, 0, new double[4]);
        Path file = dir.resolve("a.ckpt");
        CheckpointFile.write(file, c);
        long[] before = p.counters().get("plateau").clone();
        for (int i = 7; i < METRICS.length; i++) p.observe(METRICS[i]);
        assertNotEquals(before[2] + ":" + before[3] + ":" + before[4], p.badEpochs() + ":" + p.cooldownCounter() + ":" + p.epochsObserved());
        CheckpointFile.read(file).restore(model, opt, rng);
        assertArrayEquals(before, p.counters().get("plateau"));
        assertTrue(Files.size(file) > 0);
    }

    @Test
    void scheduledOptimizerStepsWithTheScheduledRate() {
        Rng rng = new Rng(1);
        Tensor w = Tensor.zeros(2).requiresGrad(true);
        Map<String, Tensor> params = Map.of("w", w);
        Optimizer opt = OptimizerAssembly.of("sgd", Map.of("lr", 0.5)).withSchedule(lr -> new Stepped(new Step(lr, 1, 0.1), Interval.STEP, 1)).build(params);
        for (int i = 0; i < 2; i++) {
            w.setGrad(Tensor.ones(2));
            opt.step();
        }
        assertEquals(-(0.5f + 0.05f), w.toArray()[0], 1e-7);
        assertTrue(rng != null);
    }
}
