package dev.ravine.app.config;

import dev.ravine.data.ImageAugmentation;
import java.util.List;

/**
 * {@code data.augment: {shift: 2, rotate: 10, flip: false}}: random image augmentation of the training batches
 * (never of validation or test data), for image samples {@code [C, H, W]}: a rotation by up to {@code rotate}
 * degrees either way (bilinear), a shift by up to {@code shift} pixels on each axis (zero padding and a random crop
 * back to the image size), and, with {@code flip}, a left-right mirror half of the time. See {@link ImageAugmentation}.
 */
public record AugmentConfig(int shift, double rotate, boolean flip) {
    static final List<String> KEYS = List.of("shift", "rotate", "flip");

    static AugmentConfig read(Section s) {
        s.allowOnly(KEYS);
        int shift = s.integer("shift", 0, 0);
        double rotate = s.number("rotate", 0.0, v -> v >= 0 && v <= 180, "an angle in degrees in [0, 180]");
        boolean flip = s.bool("flip", false);
        if (shift == 0 && rotate == 0 && !flip) {
            s.problems().add(s.path(), "changes nothing; give shift (pixels), rotate (degrees) or flip: true, e.g. "
                    + "'augment: {shift: 2, rotate: 10}', or remove it", s.origin());
        }
        return new AugmentConfig(shift, rotate, flip);
    }

    String yaml() {
        return "{shift: " + shift + ", rotate: " + ConfigWriter.number(rotate) + ", flip: " + flip + "}";
    }
}
