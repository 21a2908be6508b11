package dev.ravine.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.ravine.tensor.Tensor;
import org.junit.jupiter.api.Test;

class RetainGradTest {
    @Test
    void aComputedTensorMarkedToRetainGetsItsGradient() {
        Tensor x = Tensor.of(new float[] {1, -2, 3}, 3).requiresGrad(true);
        Tensor h = x.mul(2f).retainGrad();
        Tensor other = x.mul(3f);
        h.square().sum().add(other.sum()).backward();
        // d/dh sum(h^2) = 2h = 4x
        assertArrayEquals(new float[] {4, -8, 12}, h.grad().values(), 1e-6f);
        assertNull(other.grad(), "intermediates are not kept unless asked");
        assertArrayEquals(new float[] {8 + 3, -16 + 3, 24 + 3}, x.grad().values(), 1e-6f);
    }
}
