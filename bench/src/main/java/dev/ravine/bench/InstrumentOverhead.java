package dev.ravine.bench;

import dev.ravine.data.DataLoader;
import dev.ravine.data.Dataset;
import dev.ravine.doctor.Doctor;
import dev.ravine.doctor.finding.RunFacts;
import dev.ravine.doctor.instrument.InstrumentOptions;
import dev.ravine.doctor.instrument.InstrumentPanel;
import dev.ravine.nn.Module;
import dev.ravine.nn.loss.CrossEntropyLoss;
import dev.ravine.optim.Optimizers;
import dev.ravine.tensor.Rng;
import dev.ravine.train.Trainer;
import dev.ravine.train.TrainingListener;
import dev.ravine.train.TrainingOptions;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * The doctor's cost on the MLP 784-512-256-10 or the CNN of TrainingThroughput (batch 128, Adam, synthetic inputs): the
 * same training plain, with the doctor's InstrumentPanel only, and with the whole Doctor as {@code ravine train} runs it
 * (instruments, every detector, the NaN tracer's rolling snapshots) and without its tracer (untraced), alternated over paired rounds after two warm-up
 * rounds. Prints, per arm, the median wall time and process CPU time per step, the overhead as the median of the
 * paired ratios (pairing cancels the slow drifts of a shared machine; CPU time is less moved by other tenants' load),
 * and the CPU time spent inside the doctor's callbacks as a share of the run's (the least noisy of the three).
 * Also per arm: the bytes allocated per step (every thread) and the GC time per step, which the doctor adds outside
 * its callbacks. Usage: InstrumentOverhead [mlp|cnn (mlp)] [every (10)] [paired rounds (15)] [batches per round (200)]
 * [arms, comma-separated (all; plain is always run, first): e.g. doctor alone under a profiler]
 */
public final class InstrumentOverhead {
    private record Arm(String name, Supplier<TrainingListener> listener) {}

    private record Cost(double wall, double cpu, double inListener, double allocated, double gc) {}

    /**
     * Runs a listener and adds up the CPU time its callbacks take on the training thread: the doctor's own work, read
     * directly instead of as the difference of two noisy totals (what it adds outside its callbacks, such as the layer
     * outputs' gradients it asks backward to keep, is not in it; the paired ratios hold that too).
     */
    private static final class TimedListener implements TrainingListener {
        private static final java.lang.management.ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
        final TrainingListener inner;
        long nanos;

        TimedListener(TrainingListener inner) {
            this.inner = inner;
        }

        private void timed(Runnable r) {
            long t0 = THREADS.getCurrentThreadCpuTime();
            r.run();
            nanos += THREADS.getCurrentThreadCpuTime() - t0;
        }

        @Override public void onTrainingStart(Trainer t) { timed(() -> inner.onTrainingStart(t)); }
        @Override public void onGradients(Trainer t, long step) { timed(() -> inner.onGradients(t, step)); }
        @Override public void onBatchEnd(Trainer t, dev.ravine.train.BatchEvent e) { timed(() -> inner.onBatchEnd(t, e)); }
        @Override public void onEpochEnd(Trainer t, dev.ravine.train.EpochEvent e) { timed(() -> inner.onEpochEnd(t, e)); }
        @Override public void onTrainingEnd(Trainer t, dev.ravine.train.TrainingResult r) { timed(() -> inner.onTrainingEnd(t, r)); }
    }

    public static void main(String[] args) {
        String workload = args.length > 0 ? args[0] : "mlp";
        int every = args.length > 1 ? Integer.parseInt(args[1]) : InstrumentOptions.defaults().every();
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 15;
        int batches = args.length > 3 ? Integer.parseInt(args[3]) : 200;
        Dataset set = subset(TrainingThroughput.syntheticDigits(), batches * 128);
        List<String> kinds = List.of(workload.equals("cnn") ? "conv2d" : "flatten", "linear", "relu", "linear");
        List<Arm> all = List.of(new Arm("plain", () -> null), new Arm("instruments", () -> new InstrumentPanel(new InstrumentOptions(every, 20))),
                new Arm("doctor", () -> new Doctor(new InstrumentOptions(every, 20), Doctor.standardDetectors(), new RunFacts(1e-3, "adam", 10, kinds), 200)
                        .traceNonFinite()),
                new Arm("untraced", () -> new Doctor(new InstrumentOptions(every, 20), Doctor.standardDetectors(), new RunFacts(1e-3, "adam", 10, kinds), 200)));
        List<String> chosen = args.length > 4 ? List.of(args[4].split(",")) : all.stream().map(Arm::name).toList();
        List<Arm> arms = all.stream().filter(a -> a.name().equals("plain") || chosen.contains(a.name())).toList();
        for (int warmup = 0; warmup < 2; warmup++) for (Arm a : arms) perStep(workload, set, a.listener().get());
        double[][] wall = new double[arms.size()][rounds], cpu = new double[arms.size()][rounds];
        double[][] wallRatio = new double[arms.size()][rounds], cpuRatio = new double[arms.size()][rounds];
        double[][] share = new double[arms.size()][rounds], allocated = new double[arms.size()][rounds], gc = new double[arms.size()][rounds];
        for (int round = 0; round < rounds; round++) {
            for (int a = 0; a < arms.size(); a++) {
                Cost c = perStep(workload, set, arms.get(a).listener().get());
                wall[a][round] = c.wall();
                cpu[a][round] = c.cpu();
                wallRatio[a][round] = c.wall() / wall[0][round];
                cpuRatio[a][round] = c.cpu() / cpu[0][round];
                share[a][round] = 1 + c.inListener() / c.cpu();
                allocated[a][round] = c.allocated();
                gc[a][round] = c.gc();
            }
        }
        System.out.printf("%s, every %d steps, %d paired rounds of %d steps:%n", workload, every, rounds, batches);
        for (int a = 0; a < arms.size(); a++) {
            System.out.printf("  %-11s %7.3f ms wall %7.3f ms CPU per step, %.2f MB allocated, GC %.3f ms", arms.get(a).name(), 1e3 * median(wall[a]),
                    1e3 * median(cpu[a]), 1e-6 * median(allocated[a]), 1e3 * median(gc[a]));
            if (a > 0) {
                System.out.printf("; overhead %.1f%% wall (quartiles %.1f%% to %.1f%%), %.1f%% CPU (quartiles %.1f%% to %.1f%%)",
                        pct(median(wallRatio[a])), pct(quartile(wallRatio[a], 1)), pct(quartile(wallRatio[a], 3)),
                        pct(median(cpuRatio[a])), pct(quartile(cpuRatio[a], 1)), pct(quartile(cpuRatio[a], 3)));
                System.out.printf("%n  %-11s its callbacks: %.1f%% of the process CPU time (quartiles %.1f%% to %.1f%%)", "",
                        pct(median(share[a])), pct(quartile(share[a], 1)), pct(quartile(share[a], 3)));
            }
            System.out.println();
        }
    }

    private static Dataset subset(Dataset all, int n) {
        return Dataset.classification(Arrays.copyOf(all.features(), n * 784), new int[] {1, 28, 28}, Arrays.copyOf(all.labels(), n), 10);
    }

    private static Cost perStep(String workload, Dataset set, TrainingListener listener) {
        Rng rng = new Rng(1);
        Module model = workload.equals("cnn") ? TrainingThroughput.cnn(rng) : TrainingThroughput.mlp(rng);
        Trainer trainer = new Trainer(model, new CrossEntropyLoss(), Optimizers.adam(model.namedParameters(), 1e-3), rng, TrainingOptions.epochs(1));
        TimedListener timed = listener == null ? null : new TimedListener(listener);
        if (timed != null) trainer.addListener(timed);
        DataLoader loader = new DataLoader(set, 128, true, true, 1);
        long cpu0 = processCpuNanos(), t0 = System.nanoTime(), bytes0 = allocatedBytes(), gc0 = gcMillis();
        trainer.fit(loader, null);
        double steps = loader.batchesPerEpoch();
        return new Cost((System.nanoTime() - t0) * 1e-9 / steps, (processCpuNanos() - cpu0) * 1e-9 / steps,
                timed == null ? 0 : timed.nanos * 1e-9 / steps, (allocatedBytes() - bytes0) / steps, (gcMillis() - gc0) * 1e-3 / steps);
    }

    /** Bytes allocated by every live thread (the compute pool's included) since they started. */
    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getTotalThreadAllocatedBytes();
    }

    private static long gcMillis() {
        long ms = 0;
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) ms += Math.max(0, gc.getCollectionTime());
        return ms;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static double median(double[] v) {
        return quartile(v, 2);
    }

    private static double quartile(double[] v, int q) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[Math.min(s.length - 1, q * s.length / 4)];
    }

    private static double pct(double ratio) {
        return 100 * (ratio - 1);
    }
}
