package dev.ravine.nn;

import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Shape;
import dev.ravine.tensor.Tensor;
import java.util.Arrays;

/**
 * y = block(x) + shortcut(x) (He et al., 2016). The shortcut is the identity when the block keeps the shape, and a
 * learned projection otherwise: a bias-free Linear for feature vectors, a strided 1x1 convolution for images.
 */
public final class Residual extends Module {
    private final Module block;
    private final Module projection;

    public Residual(Module block, int[] inputShape, Rng rng) {
        this.block = registerModule("block", block);
        int[] out = block.outputShape(inputShape);
        if (Arrays.equals(out, inputShape)) {
            projection = null;
        } else if (inputShape.length == 1 && out.length == 1) {
            projection = registerModule("projection", new Linear(inputShape[0], out[0], false, rng));
        } else if (inputShape.length == 3 && out.length == 3 && inputShape[1] % out[1] == 0 && inputShape[1] / out[1] == inputShape[2] / out[2]) {
            int stride = inputShape[1] / out[1];
            projection = registerModule("projection", new Conv2d(inputShape[0], out[0], 1, stride, 0, false, rng, null));
        } else {
            throw new IllegalArgumentException("residual: no projection maps input " + Shape.str(inputShape) + " to the block's output " + Shape.str(out));
        }
    }

    @Override
    protected Tensor forward(Tensor x) {
        Tensor shortcut = projection == null ? x : projection.call(x);
        return block.call(x).add(shortcut);
    }

    @Override
    public String kind() {
        return "residual";
    }

    @Override
    public int[] outputShape(int[] in) {
        return block.outputShape(in);
    }
}
