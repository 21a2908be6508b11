package dev.ravine.nn;

import dev.ravine.tensor.Shape;
import dev.ravine.tensor.Tensor;
import dev.ravine.tensor.TensorShapeException;
import java.util.ArrayList;
import java.util.List;

/** Layers applied in order; children are named 0, 1, 2, ... as in PyTorch. */
public final class Sequential extends Module {
    private final List<Module> layers = new ArrayList<>();

    public Sequential(Module... layers) {
        for (Module m : layers) add(m);
    }

    public Sequential(List<? extends Module> layers) {
        for (Module m : layers) add(m);
    }

    public Sequential add(Module layer) {
        registerModule(Integer.toString(layers.size()), layer);
        layers.add(layer);
        return this;
    }

    public List<Module> layers() {
        return List.copyOf(layers);
    }

    @Override
    protected Tensor forward(Tensor input) {
        Tensor x = input;
        for (int i = 0; i < layers.size(); i++) {
            try {
                Module layer = layers.get(i);
                if (layer instanceof Conv2d conv && i + 1 < layers.size() && conv.fusesWith(layers.get(i + 1))) {
                    x = conv.callWithRelu(x); // the ReLU (layer i + 1) runs inside the convolution's op
                    i++;
                } else {
                    x = layer.call(x);
                }
            } catch (TensorShapeException e) {
                throw new TensorShapeException("layer " + i + " (" + layers.get(i).kind() + "): " + e.getMessage());
            }
        }
        return x;
    }

    @Override
    public String kind() {
        return "sequential";
    }

    @Override
    public int[] outputShape(int[] inputShape) {
        int[] s = inputShape;
        for (int i = 0; i < layers.size(); i++) {
            try {
                s = layers.get(i).outputShape(s);
            } catch (TensorShapeException e) {
                throw new TensorShapeException("layer " + i + " " + layers.get(i).kind() + " " + e.getMessage() + " (its input shape is " + Shape.str(s) + ")");
            }
        }
        return s;
    }
}
