package dev.ravine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Tensor;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class InputTransformsTest {
    private static final float[] BLACK = {0f};

    private static Batch batch(float[] x, int[] shape, int index) {
        int b = shape[0];
        int[] labels = new int[b];
        float[] targets = new float[b];
        int[] samples = new int[b];
        for (int i = 0; i < b; i++) samples[i] = i;
        return new Batch(Tensor.of(x, shape), Tensor.of(targets, b), labels, index, samples);
    }

    private static float[] randomImage(int size, long seed) {
        Rng rng = new Rng(seed);
        float[] x = new float[size];
        for (int i = 0; i < size; i++) x[i] = rng.nextFloat();
        return x;
    }

    // ------------------------------------------------------------------ Gaussian input noise

    @Test
    void inputNoiseHasMeanZeroAndTheGivenStd() {
        int n = 200_000;
        float[] x = new float[n];
        Arrays.fill(x, 3f);
        Batch noisy = new GaussianInputNoise(0.1, 7).apply(batch(x, new int[] {1000, 200}, 0), 0);
        float[] y = noisy.inputs().toArray();
        double sum = 0, sumSq = 0;
        for (float v : y) {
            sum += v - 3;
            sumSq += (v - 3) * (double) (v - 3);
        }
        double mean = sum / n, std = Math.sqrt(sumSq / n - mean * mean);
        // Standard errors: 0.1/sqrt(n) = 2.2e-4 for the mean, 0.1/sqrt(2n) = 1.6e-4 for the std.
        assertEquals(0, mean, 1e-3);
        assertEquals(0.1, std, 1e-3);
        assertEquals(3f, x[0], "the loaded batch is left unchanged");
    }

    @Test
    void inputNoiseIsAFunctionOfSeedEpochAndBatch() {
        float[] x = randomImage(64, 1);
        int[] shape = {4, 16};
        GaussianInputNoise noise = new GaussianInputNoise(0.5, 11);
        float[] a = noise.apply(batch(x, shape, 3), 2).inputs().toArray();
        assertArrayEquals(a, new GaussianInputNoise(0.5, 11).apply(batch(x, shape, 3), 2).inputs().toArray());
        assertFalse(Arrays.equals(a, noise.apply(batch(x, shape, 4), 2).inputs().toArray()), "another batch, other noise");
        assertFalse(Arrays.equals(a, noise.apply(batch(x, shape, 3), 3).inputs().toArray()), "another epoch, other noise");
        assertFalse(Arrays.equals(a, new GaussianInputNoise(0.5, 12).apply(batch(x, shape, 3), 2).inputs().toArray()));
        Batch clean = batch(x, shape, 0);
        assertSame(clean, new GaussianInputNoise(0, 11).apply(clean, 0));
    }

    // ------------------------------------------------------------------ image warps

    @Test
    void shiftMovesEveryPixelExactlyAndFillsTheBorder() {
        int c = 2, h = 5, w = 6;
        float[] image = randomImage(c * h * w, 2);
        float[] fill = {-1f, -2f};
        float[] out = ImageWarp.shift(image, c, h, w, 2, -1, fill);
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int sy = y + 1, sx = x - 2;
                    float expected = sy < h && sx >= 0 ? image[ch * h * w + sy * w + sx] : fill[ch];
                    assertEquals(expected, out[ch * h * w + y * w + x], "channel " + ch + " y " + y + " x " + x);
                }
            }
        }
        assertArrayEquals(image, ImageWarp.shift(image, c, h, w, 0, 0, fill));
    }

    @Test
    void rotationByZeroIsTheIdentity() {
        float[] image = randomImage(3 * 7 * 7, 3);
        assertArrayEquals(image, ImageWarp.rotate(image, 3, 7, 7, 0, new float[3]));
    }

    @Test
    void rotationBy90DegreesIsATransposeThenAnUpDownFlip() {
        for (int n : new int[] {6, 7}) {
            float[] image = randomImage(n * n, n);
            float[] out = ImageWarp.rotate(image, 1, n, n, 90, BLACK);
            // numpy.rot90 (counter-clockwise): out[y][x] = in[x][n-1-y], the transpose read bottom row first.
            for (int y = 0; y < n; y++) {
                for (int x = 0; x < n; x++) assertEquals(image[x * n + (n - 1 - y)], out[y * n + x], "y " + y + " x " + x);
            }
            float[] back = ImageWarp.rotate(ImageWarp.rotate(ImageWarp.rotate(out, 1, n, n, 90, BLACK), 1, n, n, 90, BLACK), 1, n, n, 90, BLACK);
            assertArrayEquals(image, back, "four quarter turns");
        }
    }

    @Test
    void smallRotationInterpolatesBilinearly() {
        // A 3x3 image with a single bright centre-right pixel; turning by 45 degrees moves it between grid points.
        float[] image = new float[9];
        image[1 * 3 + 2] = 1f;
        float[] out = ImageWarp.rotate(image, 1, 3, 3, 45, BLACK);
        // Output pixel (0, 2) (top right) samples the input at (y, x) = (1 + sin45*1 + cos45*(-1), 1 + cos45*1 - sin45*(-1))
        // = (1, 1 + sqrt2): between columns 2 and 3 of row 1, weight 1 - (sqrt2 - 1) on the bright pixel.
        assertEquals(2 - Math.sqrt(2), out[2], 1e-6);
        assertEquals(0f, out[4], "the centre stays where it is");
    }

    @Test
    void flippingTwiceIsTheIdentity() {
        int c = 2, h = 4, w = 5;
        float[] image = randomImage(c * h * w, 4);
        float[] once = ImageWarp.flipHorizontal(image, c, h, w);
        assertEquals(image[w - 1], once[0]);
        assertEquals(image[h * w + 2 * w], once[h * w + 2 * w + w - 1]);
        assertArrayEquals(image, ImageWarp.flipHorizontal(once, c, h, w));
    }

    // ------------------------------------------------------------------ augmentation

    @Test
    void augmentationIsReproducibleAndChangesWithTheEpoch() {
        int[] shape = {8, 1, 10, 10};
        float[] x = randomImage(800, 5);
        ImageAugmentation aug = new ImageAugmentation(2, 10, true, BLACK, 7);
        float[] a = aug.apply(batch(x, shape, 1), 0).inputs().toArray();
        assertArrayEquals(a, new ImageAugmentation(2, 10, true, BLACK, 7).apply(batch(x, shape, 1), 0).inputs().toArray());
        assertFalse(Arrays.equals(a, aug.apply(batch(x, shape, 1), 1).inputs().toArray()));
        assertFalse(Arrays.equals(a, x));
    }

    @Test
    void shiftOnlyAugmentationOnlyTranslates() {
        // With shift 1 and no rotation, each augmented image equals one of the 9 integer shifts of its original.
        int[] shape = {16, 1, 6, 6};
        float[] x = randomImage(16 * 36, 6);
        float[] y = new ImageAugmentation(1, 0, false, BLACK, 3).apply(batch(x, shape, 0), 0).inputs().toArray();
        int moved = 0;
        for (int s = 0; s < 16; s++) {
            float[] original = Arrays.copyOfRange(x, s * 36, s * 36 + 36);
            float[] augmented = Arrays.copyOfRange(y, s * 36, s * 36 + 36);
            boolean matched = false;
            for (int dx = -1; dx <= 1 && !matched; dx++) {
                for (int dy = -1; dy <= 1 && !matched; dy++) {
                    matched = Arrays.equals(augmented, ImageWarp.shift(original, 1, 6, 6, dx, dy, BLACK));
                }
            }
            assertTrue(matched, "sample " + s + " is an integer shift of its original");
            if (!Arrays.equals(original, augmented)) moved++;
        }
        assertTrue(moved >= 10, "most of 16 samples move (8/9 expected), moved " + moved);
    }

    @Test
    void augmentationNeedsImageBatches() {
        ImageAugmentation aug = new ImageAugmentation(2, 0, false, BLACK, 7);
        assertThrows(IllegalArgumentException.class, () -> aug.apply(batch(new float[12], new int[] {2, 6}, 0), 0));
        assertThrows(IllegalArgumentException.class, () -> new ImageAugmentation(-1, 0, false, BLACK, 0));
    }
}
