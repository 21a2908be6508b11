package dev.ravine.data;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.tensor.Tensor;
import dev.ravine.testing.Fixture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Rotation against torch's affine_grid + grid_sample (bilinear, zeros, align_corners=True): tools/gen_augment_fixtures.py. */
class ImageWarpFixturesTest {
    @ParameterizedTest
    @ValueSource(strings = {"small_positive", "negative_non_square", "thirty_rgb", "obtuse"})
    void rotationMatchesTorchGridSample(String name) {
        Fixture f = Fixture.load("augment/rotate_" + name + ".json");
        int[] shape = f.shape("input");
        float[] out = ImageWarp.rotate(f.data("input"), shape[0], shape[1], shape[2], f.number("degrees"), new float[shape[0]]);
        f.compare("output", Tensor.of(out, shape), 1e-5);
        assertTrue(f.failures().isEmpty(), f.report());
    }
}
