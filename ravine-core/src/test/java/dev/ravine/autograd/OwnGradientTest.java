package dev.ravine.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.ravine.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Gradients that backward computes are taken without a copy (Tensor.accumulateOwnGrad), and no tensor ever sees
 * another's write through shared storage: the sums of a second backward, zeroGrad, an addition's one gradient given
 * to two operands, the caller's gradOutput and a retained view of a retained output.
 */
class OwnGradientTest {
    private static Tensor leaf(float... v) {
        return Tensor.of(v, v.length).requiresGrad(true);
    }

    @Test
    void aDenseFirstGradientIsTakenAndCopiedBeforeAnyWrite() {
        Tensor t = leaf(0, 0, 0);
        Tensor g1 = Tensor.of(new float[] {1, 2, 3}, 3), g2 = Tensor.of(new float[] {10, 20, 30}, 3);
        t.accumulateOwnGrad(g1);
        assertSame(g1.storage(), t.grad().storage(), "a dense first gradient is taken as it is");
        t.accumulateOwnGrad(g2);
        assertArrayEquals(new float[] {11, 22, 33}, t.grad().values());
        assertArrayEquals(new float[] {1, 2, 3}, g1.values(), "the second gradient is added into a copy");
        Tensor before = t.grad();
        t.accumulateGrad(g2);
        assertSame(before.storage(), t.grad().storage(), "the copy is the tensor's own: later sums are in place");
        assertArrayEquals(new float[] {21, 42, 63}, t.grad().values());

        Tensor u = leaf(0, 0, 0);
        u.accumulateOwnGrad(g1);
        u.zeroGrad();
        assertArrayEquals(new float[] {0, 0, 0}, u.grad().values());
        assertArrayEquals(new float[] {1, 2, 3}, g1.values(), "zeroGrad does not write a taken gradient");

        Tensor strided = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3).transpose(0, 1);
        Tensor w = Tensor.zeros(3, 2).requiresGrad(true);
        w.accumulateOwnGrad(strided);
        assertNotSame(strided.storage(), w.grad().storage(), "a strided gradient is gathered");
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, w.grad().values());
    }

    @Test
    void twoLeavesGivenOneGradientByAnAdditionDoNotShareIt() {
        Tensor a = leaf(1, 2), b = leaf(3, 4);
        a.add(b).mul(3f).sum().backward();
        assertArrayEquals(new float[] {3, 3}, a.grad().values());
        assertArrayEquals(new float[] {3, 3}, b.grad().values());
        assertNotSame(a.grad().storage(), b.grad().storage());
        a.grad().storage()[0] = 99f;
        assertArrayEquals(new float[] {3, 3}, b.grad().values(), "a write to one gradient is not seen by the other");
    }

    @Test
    void aSecondBackwardSumsIntoACopyOfTheFirstGradient() {
        Tensor x = leaf(1, -2, 3);
        Tensor h = x.mul(2f).retainGrad();
        Tensor loss = h.square().sum();
        loss.backward();
        Tensor firstX = x.grad(), firstH = h.grad();
        float[] firstXValues = firstX.values().clone(), firstHValues = firstH.values().clone();
        loss.backward();
        assertArrayEquals(new float[] {16, -32, 48}, x.grad().values(), 1e-6f, "d/dx sum((2x)^2) = 8x, twice");
        assertArrayEquals(new float[] {8, -16, 24}, h.grad().values(), 1e-6f, "d/dh sum(h^2) = 2h, twice");
        assertArrayEquals(firstXValues, firstX.values(), "the first gradient tensor of x is unchanged");
        assertArrayEquals(firstHValues, firstH.values(), "the first gradient tensor of h is unchanged");
    }

    @Test
    void theCallersGradOutputIsNeverTaken() {
        Tensor x = leaf(1, 2, 3, 4);
        Tensor y = x.reshape(2, 2).retainGrad();
        Tensor gradOutput = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
        y.backward(gradOutput);
        gradOutput.storage()[0] = -7f;
        assertArrayEquals(new float[] {1, 2, 3, 4}, x.grad().values(), "x's gradient is a view of gradOutput: copied");
        assertArrayEquals(new float[] {1, 2, 3, 4}, y.grad().values(), "y's gradient is gradOutput itself: copied");
    }

    @Test
    void aRetainedOutputAndARetainedViewOfItKeepTheirOwnGradients() {
        Tensor x = leaf(1, 2, 3, 4);
        Tensor h = x.mul(2f).retainGrad();
        Tensor v = h.reshape(2, 2).retainGrad(); // its gradient, reshaped back, is h's: one storage for both
        v.square().sum().backward();
        assertArrayEquals(new float[] {4, 8, 12, 16}, h.grad().values(), 1e-6f);
        assertArrayEquals(new float[] {4, 8, 12, 16}, v.grad().values(), 1e-6f);
        v.grad().storage()[0] = 99f;
        assertArrayEquals(new float[] {4, 8, 12, 16}, h.grad().values(), 1e-6f, "a write to v's gradient is not seen by h");
    }
}
