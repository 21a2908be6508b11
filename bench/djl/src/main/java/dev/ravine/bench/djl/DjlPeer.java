package dev.ravine.bench.djl;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.nn.recurrent.LSTM;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.Batchifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The DJL + LibTorch (CPU) peer of TrainingThroughput.java and bench/pytorch_peer.py: the same workloads, models,
 * batches, Adam (lr 1e-3) and synthetic inputs, trained with DJL's own loop (a {@link Trainer},
 * {@link EasyTrain#trainBatch} and {@link Trainer#step}). Each step's intermediate arrays live in a sub-manager that
 * the step closes, as DJL's dataset iteration does with each batch.
 *
 * <p>Usage: DjlPeer [workload ... | both | all] [--batches N]; run through bench/compare-training.sh, which sets up
 * LibTorch offline (bench/djl-env.sh).
 */
public final class DjlPeer {
    private static final List<String> WORKLOADS = List.of("mlp", "cnn", "mlp-b32", "mlp-b512", "cnn-b32", "cnn-b512", "lstm", "rescnn");
    private static final int ROUNDS = 5;

    private DjlPeer() {}

    public static void main(String[] args) throws IOException {
        List<String> names = new ArrayList<>();
        int batches = 0;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--batches")) batches = Integer.parseInt(args[++i]);
            else if (args[i].equals("both")) names.addAll(List.of("mlp", "cnn"));
            else if (args[i].equals("all")) names.addAll(WORKLOADS);
            else if (WORKLOADS.contains(args[i])) names.add(args[i]);
            else throw new IllegalArgumentException("unknown workload '" + args[i] + "': expected one of " + WORKLOADS + ", both or all");
        }
        if (names.isEmpty()) names.addAll(List.of("mlp", "cnn"));
        Engine engine = Engine.getEngine("PyTorch");
        System.out.printf("djl %s on %s %s%n", Engine.getDjlVersion(), engine.getEngineName(), engine.getVersion());
        for (String name : names) run(name, batches);
        System.out.printf("djl: peak RSS %d MB%n", peakRssKb() / 1024);
    }

    private static void run(String name, int batches) {
        int batch = name.endsWith("-b32") ? 32 : name.endsWith("-b512") ? 512 : 128;
        switch (name.replaceAll("-b\\d+$", "")) {
            case "mlp" -> report(name, mlp(), new long[] {1, 28, 28}, batch, batches > 0 ? batches : 100 * 128 / batch);
            case "cnn" -> report(name, cnn(), new long[] {1, 28, 28}, batch, batches > 0 ? batches : 30 * 128 / batch);
            case "lstm" -> report(name, lstm(), new long[] {50, 32}, batch, batches > 0 ? batches : 20);
            case "rescnn" -> report(name, residualCnn(), new long[] {3, 32, 32}, batch, batches > 0 ? batches : 10);
            default -> throw new IllegalStateException(name);
        }
    }

    static Block mlp() {
        return new SequentialBlock().add(Blocks.batchFlattenBlock(784))
                .add(Linear.builder().setUnits(512).build()).add(Activation::relu)
                .add(Linear.builder().setUnits(256).build()).add(Activation::relu)
                .add(Linear.builder().setUnits(10).build());
    }

    static Block cnn() {
        return new SequentialBlock()
                .add(conv(32)).add(Activation::relu).add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(conv(64)).add(Activation::relu).add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(128).build()).add(Activation::relu)
                .add(Linear.builder().setUnits(10).build());
    }

    static Block lstm() {
        return new SequentialBlock()
                .add(LSTM.builder().setStateSize(128).setNumLayers(1).optBatchFirst(true).optReturnState(false).build())
                .add(new LambdaBlock(list -> new NDList(list.singletonOrThrow().get(":, -1, :")), "last_step"))
                .add(Linear.builder().setUnits(10).build());
    }

    static Block residualCnn() {
        return new SequentialBlock()
                .add(conv(16)).add(Activation::relu).add(residual(16)).add(Activation::relu)
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(conv(32)).add(Activation::relu).add(residual(32)).add(Activation::relu)
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(10).build());
    }

    /** block(x) + x, block = conv-relu-conv. */
    private static Block residual(int channels) {
        Block block = new SequentialBlock().add(conv(channels)).add(Activation::relu).add(conv(channels));
        return new ParallelBlock(outputs -> new NDList(outputs.get(0).singletonOrThrow().add(outputs.get(1).singletonOrThrow())),
                Arrays.asList(block, Blocks.identityBlock()));
    }

    private static Block conv(int filters) {
        return Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(filters).build();
    }

    private static void report(String name, Block block, long[] sample, int batch, int measured) {
        try (Model model = Model.newInstance(name, Device.cpu())) {
            model.setBlock(block);
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-3f)).build())
                    .optDevices(new Device[] {Device.cpu()});
            try (Trainer trainer = model.newTrainer(config)) {
                long[] dims = new long[sample.length + 1];
                dims[0] = batch;
                System.arraycopy(sample, 0, dims, 1, sample.length);
                trainer.initialize(new Shape(dims));
                NDManager manager = model.getNDManager();
                manager.getEngine().setRandomSeed(2);
                float[] x = manager.randomNormal(new Shape(dims)).toFloatArray();
                float[] y = manager.randomInteger(0, 10, new Shape(batch), DataType.INT64).toType(DataType.FLOAT32, false).toFloatArray();
                Shape xShape = new Shape(dims);
                int warmup = Math.max(5, measured / 4);
                for (int i = 0; i < warmup; i++) step(trainer, manager, x, xShape, y);
                // Five rounds, median reported, as the other two sides do.
                double[] rates = new double[ROUNDS];
                for (int r = 0; r < ROUNDS; r++) {
                    long t0 = System.nanoTime();
                    for (int i = 0; i < measured; i++) step(trainer, manager, x, xShape, y);
                    rates[r] = measured * batch / ((System.nanoTime() - t0) * 1e-9);
                }
                Arrays.sort(rates);
                System.out.printf("%s: %.0f samples/s (median of %d rounds of %d batches of %d; min %.0f, max %.0f)%n", name,
                        rates[ROUNDS / 2], ROUNDS, measured, batch, rates[0], rates[ROUNDS - 1]);
            }
        }
    }

    /**
     * One training step on a batch created in a step manager from host arrays, as a data loader delivers it; closing
     * the manager frees the batch and everything computed from it.
     */
    private static void step(Trainer trainer, NDManager manager, float[] x, Shape xShape, float[] y) {
        try (NDManager stepManager = manager.newSubManager()) {
            NDList data = new NDList(stepManager.create(x, xShape));
            NDList labels = new NDList(stepManager.create(y, new Shape(y.length)));
            Batch batch = new Batch(stepManager, data, labels, y.length, Batchifier.STACK, Batchifier.STACK, 0, 1);
            EasyTrain.trainBatch(trainer, batch);
            trainer.step();
        }
    }

    private static long peakRssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("\\D", ""));
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }
}
