package dev.ravine.data;

import dev.ravine.tensor.Rng;
import dev.ravine.tensor.SeedMix;
import dev.ravine.tensor.Shape;
import dev.ravine.tensor.Tensor;
import java.util.Arrays;

/**
 * Random geometric augmentation of training images {@code [C, H, W]}, a new draw for every sample of every batch:
 * a rotation by an angle uniform in [-maxDegrees, maxDegrees] (bilinear), then a shift by integers uniform in
 * [-maxShift, maxShift] on each axis (the same as padding maxShift pixels with the fill value and cropping a random
 * H x W window), then, when enabled, a left-right mirror with probability 1/2 (off by default: a mirrored digit is
 * another glyph). Pixels that come from outside the image take the channel's fill value; give the normalized value
 * of a black pixel so the border looks like background.
 *
 * <p>The draws of a batch are a function of (seed, epoch, batch index): the same run seed gives the same augmented
 * batches, and a resumed run repeats them.
 */
public final class ImageAugmentation implements BatchTransform {
    private static final long STREAM = 0x4155474DL;

    private final int maxShift;
    private final double maxDegrees;
    private final boolean flip;
    private final float[] fill;
    private final long seed;

    /** @param fill one value per channel for pixels from outside the image */
    public ImageAugmentation(int maxShift, double maxDegrees, boolean flip, float[] fill, long seed) {
        if (maxShift < 0) throw new IllegalArgumentException("the largest shift must be >= 0 pixels, got " + maxShift);
        if (!(maxDegrees >= 0 && maxDegrees <= 180)) {
            throw new IllegalArgumentException("the largest rotation must be in [0, 180] degrees, got " + maxDegrees);
        }
        this.maxShift = maxShift;
        this.maxDegrees = maxDegrees;
        this.flip = flip;
        this.fill = fill.clone();
        this.seed = seed;
    }

    /** Whether it changes anything at all. */
    public boolean isIdentity() {
        return maxShift == 0 && maxDegrees == 0 && !flip;
    }

    @Override
    public Batch apply(Batch batch, int epoch) {
        int[] shape = batch.inputs().shape();
        if (shape.length != 4 || shape[1] != fill.length) {
            throw new IllegalArgumentException("image augmentation needs batches of images [batch, " + fill.length
                    + " channels, height, width], got " + Shape.str(shape));
        }
        if (isIdentity()) return batch;
        int channels = shape[1], height = shape[2], width = shape[3];
        int size = channels * height * width;
        float[] x = batch.inputs().toArray();
        Rng rng = new Rng(SeedMix.of(seed, STREAM, epoch, batch.index()));
        for (int s = 0; s < shape[0]; s++) {
            float[] image = Arrays.copyOfRange(x, s * size, (s + 1) * size);
            // Every sample draws the same three numbers whatever the settings, so the draws stay aligned.
            double angle = (2 * rng.nextDouble() - 1) * maxDegrees;
            int dx = rng.nextInt(2 * maxShift + 1) - maxShift;
            int dy = rng.nextInt(2 * maxShift + 1) - maxShift;
            boolean mirror = rng.nextDouble() < 0.5;
            if (angle != 0) image = ImageWarp.rotate(image, channels, height, width, angle, fill);
            if (dx != 0 || dy != 0) image = ImageWarp.shift(image, channels, height, width, dx, dy, fill);
            if (flip && mirror) image = ImageWarp.flipHorizontal(image, channels, height, width);
            System.arraycopy(image, 0, x, s * size, size);
        }
        return new Batch(Tensor.of(x, shape), batch.targets(), batch.labels(), batch.index(), batch.sampleIndices());
    }
}
