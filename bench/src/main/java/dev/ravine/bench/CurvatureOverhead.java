package dev.ravine.bench;

import dev.ravine.data.Batch;
import dev.ravine.data.DataLoader;
import dev.ravine.data.Dataset;
import dev.ravine.doctor.curvature.CurvatureMonitor;
import dev.ravine.doctor.curvature.CurvatureReading;
import dev.ravine.nn.Module;
import dev.ravine.nn.loss.CrossEntropyLoss;
import dev.ravine.optim.Optimizers;
import dev.ravine.tensor.Rng;
import dev.ravine.train.BatchEvent;
import dev.ravine.train.Trainer;
import dev.ravine.train.TrainingListener;
import dev.ravine.train.TrainingOptions;
import dev.ravine.train.TrainingResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The cost of the doctor's curvature monitor on the MLP 784-512-256-10 (batch 128, Adam, synthetic inputs as
 * InstrumentOverhead): the median wall time of a training step without it, the median time of one curvature reading
 * (top Hessian eigenvalue plus Adam's preconditioned one on a 128-sample probe batch, warm-started), and what that
 * costs as a share of training time when a reading is taken every N steps: reading / (N x step).
 * Usage: CurvatureOverhead [every-for-the-share ...] (default 100 500 1000)
 */
public final class CurvatureOverhead {
    public static void main(String[] args) {
        int[] shares = args.length == 0 ? new int[] {100, 500, 1000} : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        Dataset set = TrainingThroughput.syntheticDigits();
        Batch probe = new DataLoader(set, 128, true, false, 7).epoch(0).iterator().next();
        secondsPerStep(set, null); // warm-up
        double[] steps = new double[5];
        for (int round = 0; round < steps.length; round++) steps[round] = secondsPerStep(set, null);
        Arrays.sort(steps);
        double step = steps[steps.length / 2];
        Timed timed = new Timed(new CurvatureMonitor(CurvatureMonitor.Options.every(20), probe.inputs(), probe.targets()));
        secondsPerStep(set, timed);
        // the first reading starts cold (random vector); the others are warm-started, as in a run
        List<Double> warm = timed.seconds.subList(1, timed.seconds.size());
        double[] w = warm.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double reading = w[w.length / 2];
        long[] hvps = timed.readings.stream().skip(1).mapToLong(CurvatureReading::hvps).sorted().toArray();
        CurvatureReading last = timed.readings.getLast();
        System.out.printf("mlp step %.3f ms; curvature reading: cold %.1f ms (%d HVPs), warm median %.1f ms (median %d HVPs) over %d readings%n",
                step * 1e3, timed.seconds.getFirst() * 1e3, timed.readings.getFirst().hvps(), reading * 1e3, hvps[hvps.length / 2], w.length);
        System.out.printf("last reading at step %d: sharpness %.4g, preconditioned %.4g (threshold %.4g)%n", last.step(), last.sharpness(),
                last.preconditionedSharpness(), last.preconditionedThreshold());
        for (int every : shares) {
            System.out.printf("curvature_every %d: overhead %.2f%% of training time%n", every, 100 * reading / (every * step));
        }
    }

    /** Takes a reading every 20 steps and times it. */
    private static final class Timed implements TrainingListener {
        final CurvatureMonitor monitor;
        final List<Double> seconds = new ArrayList<>();
        final List<CurvatureReading> readings = new ArrayList<>();

        Timed(CurvatureMonitor monitor) {
            this.monitor = monitor;
        }

        @Override
        public void onBatchEnd(Trainer trainer, BatchEvent event) {
            if (!monitor.isDue(event.step())) return;
            long t0 = System.nanoTime();
            readings.add(monitor.read(trainer, event.step()));
            seconds.add((System.nanoTime() - t0) * 1e-9);
        }
    }

    private static double secondsPerStep(Dataset set, TrainingListener listener) {
        Rng rng = new Rng(1);
        Module model = TrainingThroughput.mlp(rng);
        Trainer trainer = new Trainer(model, new CrossEntropyLoss(), Optimizers.adam(model.namedParameters(), 1e-3), rng, TrainingOptions.epochs(1));
        if (listener != null) trainer.addListener(listener);
        TrainingResult r = trainer.fit(new DataLoader(set, 128, true, true, 1), null);
        return r.wallSeconds() / r.steps();
    }
}
