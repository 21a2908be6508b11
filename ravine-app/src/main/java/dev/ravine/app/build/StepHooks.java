package dev.ravine.app.build;

import dev.ravine.app.TextFormat;
import dev.ravine.app.config.AdversarialConfig;
import dev.ravine.app.config.AugmentConfig;
import dev.ravine.app.config.ConfigException;
import dev.ravine.app.config.RunConfig;
import dev.ravine.data.Dataset;
import dev.ravine.data.GaussianInputNoise;
import dev.ravine.data.ImageAugmentation;
import dev.ravine.tensor.Shape;
import dev.ravine.train.AdversarialAttack;
import dev.ravine.train.AdversarialTraining;
import dev.ravine.train.Fgsm;
import dev.ravine.train.Pgd;
import dev.ravine.train.StepHook;
import dev.ravine.train.WeightNoise;
import java.util.ArrayList;
import java.util.List;

/**
 * The step hooks a run's config asks for, in the order they act on a training step: augmentation
 * ({@code data.augment}), then input noise ({@code regularization.input_noise}), then adversarial examples
 * ({@code adversarial}, built from the augmented, noisy batch against the clean weights), then weight noise
 * ({@code regularization.weight_noise}, for the step's own forward and backward pass only). Built before the run
 * folder exists, so a config that cannot work (augmentation of non-image data) fails first.
 */
public final class StepHooks {
    private StepHooks() {}

    public static List<StepHook> of(RunConfig config, RunData data) {
        List<StepHook> hooks = new ArrayList<>();
        long seed = config.seed();
        if (config.data().augment() != null) {
            AugmentConfig a = config.data().augment();
            hooks.add(StepHook.of(new ImageAugmentation(a.shift(), a.rotate(), a.flip(), blackPixel(data, config), seed)));
        }
        if (config.toolbox().inputNoise() > 0) hooks.add(StepHook.of(new GaussianInputNoise(config.toolbox().inputNoise(), seed)));
        if (config.adversarial() != null) {
            double[] range = AdversarialAttack.rangeOf(data.train().features());
            hooks.add(adversarialTraining(config.adversarial(), range[0], range[1], seed));
        }
        if (config.toolbox().weightNoise() > 0) hooks.add(new WeightNoise(config.toolbox().weightNoise(), seed));
        return hooks;
    }

    /** The training hook, with the data range [low, high] of the normalized training inputs. */
    private static AdversarialTraining adversarialTraining(AdversarialConfig c, double low, double high, long seed) {
        AdversarialAttack attack = c.method().equals("fgsm") ? new Fgsm(c.epsilon(), low, high)
                : new Pgd(c.epsilon(), c.stepSize(), c.steps(), c.randomStart(), low, high);
        return new AdversarialTraining(attack, c.mix(), seed);
    }

    /** The hooks of {@link #of} in words, for the run header, or null when the config has none. */
    public static String describe(RunConfig config) {
        List<String> parts = new ArrayList<>();
        AugmentConfig a = config.data().augment();
        if (a != null) {
            parts.add("augment (shift " + a.shift() + " px, rotate " + TextFormat.plain(a.rotate()) + " deg" + (a.flip() ? ", flip" : "") + ")");
        }
        if (config.toolbox().inputNoise() > 0) parts.add("input noise " + TextFormat.plain(config.toolbox().inputNoise()));
        AdversarialConfig adv = config.adversarial();
        if (adv != null) {
            parts.add(adv.method().toUpperCase(java.util.Locale.ROOT) + " epsilon " + TextFormat.plain(adv.epsilon())
                    + (adv.method().equals("pgd") ? " (" + adv.steps() + " steps of " + TextFormat.plain(adv.stepSize()) + ")" : "")
                    + " on " + TextFormat.plain(100 * adv.mix()) + "% of each batch");
        }
        if (config.toolbox().weightNoise() > 0) parts.add("weight noise " + TextFormat.plain(config.toolbox().weightNoise()));
        return parts.isEmpty() ? null : String.join(", ", parts);
    }

    /**
     * What a black (0) pixel of each channel becomes after the run's normalizer: the value augmentation pads with,
     * so a shifted or turned image has background, not grey, at its border.
     */
    private static float[] blackPixel(RunData data, RunConfig config) {
        int[] shape = data.train().sampleShape();
        if (shape.length != 3) {
            throw new ConfigException("data.augment works on images [channels, height, width], but the training samples have shape "
                    + Shape.str(shape) + "; remove data.augment for this data (data section at " + config.data().origin().describe() + ")");
        }
        int plane = shape[1] * shape[2];
        Dataset black = Dataset.classification(new float[shape[0] * plane], shape, new int[] {0}, 1);
        float[] normalized = data.normalizer().apply(black).features();
        float[] fill = new float[shape[0]];
        for (int c = 0; c < fill.length; c++) fill[c] = normalized[c * plane];
        return fill;
    }
}
