package dev.ravine.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A layer's product x W^T hands the gradient of W back dense (the product computed in W's own layout) and with the
 * same bits as the plain product, for the MLP's shapes and ragged ones (partial micro-kernel blocks, several depth
 * blocks of 512).
 */
class MatMulGradientLayoutTest {
    @Test
    void weightGradientIsDenseAndHasThePlainProductsBits() {
        Rng rng = new Rng(9);
        for (int[] mkn : new int[][] {{128, 784, 512}, {13, 7, 5}, {600, 33, 17}, {3, 1, 9}}) {
            int m = mkn[0], k = mkn[1], n = mkn[2];
            Tensor x = Tensor.normal(rng, 0, 1, m, k).requiresGrad(true);
            Tensor w = Tensor.normal(rng, 0, 1, n, k).requiresGrad(true);
            Tensor g = Tensor.normal(rng, 0, 1, m, n);
            Tensor y = x.matmul(w.transpose(0, 1));
            y.backward(g);
            // the gradient as the backward pass hands it over, before accumulation copies it
            Tensor handedOver = dev.ravine.autograd.Autograd.grad(x.matmul(w.transpose(0, 1)).mul(g).sum(), List.of(w), null, false).get(0);
            assertTrue(handedOver.isDense(), "W's gradient reaches W dense, not as a strided transpose");
            // the plain forms, computed directly
            Tensor plainW = x.detach().transpose(0, 1).matmul(g).transpose(0, 1).contiguous();
            Tensor plainX = g.matmul(w.detach());
            assertArrayEquals(plainW.toArray(), w.grad().toArray(), 0f, "dW for " + List.of(m, k, n));
            assertArrayEquals(plainX.toArray(), x.grad().toArray(), 0f, "dx for " + List.of(m, k, n));
            // an operand stored transposed on the left: (X^T)^T W^T
            Tensor xt = Tensor.normal(rng, 0, 1, k, m).requiresGrad(true);
            xt.transpose(0, 1).matmul(w.detach().transpose(0, 1)).backward(g);
            assertArrayEquals(g.matmul(w.detach()).transpose(0, 1).contiguous().toArray(), xt.grad().toArray(), 0f, "dX^T for " + List.of(m, k, n));
        }
    }
}
