package dev.ravine.train;

import dev.ravine.data.Batch;
import dev.ravine.tensor.Rng;
import dev.ravine.tensor.SeedMix;
import dev.ravine.tensor.Tensor;
import java.util.Arrays;

/**
 * Adversarial training: in every training batch a fraction {@code mix} of the samples (round(mix * size), chosen at
 * random) is replaced by its adversarial example against the current weights, so the step fits clean and
 * adversarial inputs together (Goodfellow et al., 2015, mixed the two losses; Madry et al., 2018, train on
 * adversarial examples only, which is mix 1). Labels stay those of the clean samples. The choice of samples and any
 * random start are functions of (seed, epoch, batch index).
 */
public final class AdversarialTraining implements StepHook {
    private static final long STREAM = 0x414456L;

    private final AdversarialAttack attack;
    private final double mix;
    private final long seed;

    public AdversarialTraining(AdversarialAttack attack, double mix, long seed) {
        if (!(mix > 0 && mix <= 1)) throw new IllegalArgumentException("the adversarial mix must be in (0, 1], got " + mix);
        this.attack = attack;
        this.mix = mix;
        this.seed = seed;
    }

    @Override
    public Batch beforeForward(Trainer trainer, Batch batch, int epoch) {
        int b = batch.size();
        int count = (int) Math.round(mix * b);
        if (count == 0) return batch;
        Rng rng = new Rng(SeedMix.of(seed, STREAM, epoch, batch.index()));
        int[] rows = chooseRows(b, count, rng);
        int[] shape = batch.inputs().shape();
        int inputSize = batch.inputs().numel() / b;
        float[] inputs = batch.inputs().toArray();
        float[] targets = batch.targets().toArray();
        int targetSize = targets.length / b;
        int[] subShape = shape.clone();
        subShape[0] = count;
        int[] targetShape = batch.targets().shape();
        targetShape[0] = count;
        float[] chosen = rowsOf(inputs, inputSize, rows);
        float[] adversarial = attack.perturb(trainer.model(), trainer.loss(), chosen, subShape,
                Tensor.of(rowsOf(targets, targetSize, rows), targetShape), rng);
        for (int k = 0; k < rows.length; k++) System.arraycopy(adversarial, k * inputSize, inputs, rows[k] * inputSize, inputSize);
        return new Batch(Tensor.of(inputs, shape), batch.targets(), batch.labels(), batch.index(), batch.sampleIndices());
    }

    /** {@code count} distinct rows of {@code size}, in increasing order (a partial Fisher-Yates shuffle). */
    static int[] chooseRows(int size, int count, Rng rng) {
        int[] all = new int[size];
        for (int i = 0; i < size; i++) all[i] = i;
        for (int i = 0; i < count; i++) {
            int j = i + rng.nextInt(size - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        int[] rows = Arrays.copyOf(all, count);
        Arrays.sort(rows);
        return rows;
    }

    private static float[] rowsOf(float[] values, int rowSize, int[] rows) {
        float[] out = new float[rows.length * rowSize];
        for (int k = 0; k < rows.length; k++) System.arraycopy(values, rows[k] * rowSize, out, k * rowSize, rowSize);
        return out;
    }
}
