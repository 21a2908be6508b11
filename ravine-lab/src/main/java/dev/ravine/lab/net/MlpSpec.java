package dev.ravine.lab.net;

import dev.ravine.init.Initializer;
import dev.ravine.nn.Activation;
import dev.ravine.nn.BatchNorm;
import dev.ravine.nn.Linear;
import dev.ravine.nn.Module;
import dev.ravine.nn.Residual;
import dev.ravine.nn.Sequential;
import dev.ravine.tensor.Rng;
import java.util.ArrayList;
import java.util.List;

/**
 * A fully connected classifier of Ravine's layers: {@code hidden} layers of {@code width} units, each Linear, then
 * batch norm when {@code batchNorm}, then the activation, and a Linear output layer. With {@code residual} every hidden
 * layer after the first (whose input has another width) is wrapped in a {@link Residual} block, x + layer(x).
 * Every Linear weight is drawn by {@code init}; biases keep torch's default.
 */
public record MlpSpec(int width, int hidden, Activation.Kind activation, Initializer init, boolean batchNorm, boolean residual) {
    public MlpSpec {
        if (hidden < 1) throw new IllegalArgumentException("an MLP needs at least one hidden layer, got " + hidden);
    }

    public Sequential build(int inputs, int outputs, Rng rng) {
        List<Module> layers = new ArrayList<>();
        layers.add(layer(inputs, rng));
        for (int l = 1; l < hidden; l++) {
            Module layer = layer(width, rng);
            layers.add(residual ? new Residual(layer, new int[] {width}, rng) : layer);
        }
        layers.add(new Linear(width, outputs, true, rng, init));
        return new Sequential(layers);
    }

    private Module layer(int in, Rng rng) {
        List<Module> parts = new ArrayList<>();
        parts.add(new Linear(in, width, true, rng, init));
        if (batchNorm) parts.add(BatchNorm.of1d(width));
        parts.add(new Activation(activation));
        return new Sequential(parts);
    }

    public MlpSpec withHidden(int h) {
        return new MlpSpec(width, h, activation, init, batchNorm, residual);
    }
}
