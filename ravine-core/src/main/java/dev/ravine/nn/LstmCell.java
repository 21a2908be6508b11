package dev.ravine.nn;

import dev.ravine.autograd.GradMode;
import dev.ravine.kernel.ComputePool;
import dev.ravine.kernel.LstmCellKernel;
import dev.ravine.tensor.Tensor;

/**
 * The LSTM's gate arithmetic for one time step as one recorded operation: from the two projections and the previous
 * cell state to h' and c', where the separate operations ({@link Lstm}'s formula) would record fifteen, each with a
 * tensor of its own forward and backward. The result stacks h' over c', [2 batch, hidden], and {@link #h} and
 * {@link #c} are views of it. When the backward is itself recorded (Hessian-vector products) it is written in tensor
 * operations, so gradients of gradients stay exact.
 */
final class LstmCell {
    /** Hidden units per parallel task: a step of a small layer runs on one thread. */
    private static final int UNITS_PER_TASK = 8192;

    private LstmCell() {}

    /**
     * @param biasIh the input projection's bias, [4 hidden], or null (then biasHh is null too)
     * @return [2 batch, hidden]: rows [0, batch) are h', rows [batch, 2 batch) are c'
     */
    static Tensor step(Tensor inputPart, Tensor hiddenPart, Tensor biasIh, Tensor biasHh, Tensor c) {
        int batch = c.size(0), hidden = c.size(1);
        StepValues ip = StepValues.of(inputPart), hp = StepValues.of(hiddenPart), cv = StepValues.of(c);
        StepValues bih = biasIh == null ? NO_BIAS : StepValues.of(biasIh), bhh = biasHh == null ? NO_BIAS : StepValues.of(biasHh);
        float[] gates = new float[batch * 4 * hidden], tanhC = new float[batch * hidden], hc = new float[2 * batch * hidden];
        ComputePool.parallelRange(batch, rowsPerTask(hidden), (from, to) -> LstmCellKernel.forward(ip.data(), ip.offset(), hp.data(),
                hp.offset(), bih.data(), bih.offset(), bhh.data(), bhh.offset(), cv.data(), cv.offset(), gates, tanhC, hc, batch,
                hidden, from, to));
        Tensor[] inputs = {inputPart, hiddenPart, biasIh, biasHh, c};
        return Tensor.fromOp(hc, new int[] {2 * batch, hidden}, "lstm_cell", inputs, grad -> {
            if (GradMode.isEnabled()) return recordedBackward(grad, inputPart, hiddenPart, biasIh, biasHh, c);
            float[] gradPre = new float[batch * 4 * hidden], gradC = c.requiresGrad() ? new float[batch * hidden] : null;
            float[] g = grad.values();
            ComputePool.parallelRange(batch, rowsPerTask(hidden), (from, to) -> LstmCellKernel.backward(gates, tanhC, cv.data(),
                    cv.offset(), g, gradPre, gradC, batch, hidden, from, to));
            Tensor pre = Tensor.of(gradPre, batch, 4 * hidden);
            return new Tensor[] {pre, pre, biasGrad(pre, biasIh), biasGrad(pre, biasHh), gradC == null ? null : Tensor.of(gradC, batch, hidden)};
        });
    }

    /** Stands for an absent bias: the kernel then adds none. */
    private static final StepValues NO_BIAS = new StepValues(null, 0);

    /** A bias's gradient, as the addition of the bias to a projection would give it: the pre-activations' summed over rows. */
    private static Tensor biasGrad(Tensor gradPre, Tensor bias) {
        return bias == null || !bias.requiresGrad() ? null : gradPre.sumTo(bias.shape());
    }

    static Tensor h(Tensor hc) {
        return hc.slice(0, 0, hc.size(0) / 2);
    }

    static Tensor c(Tensor hc) {
        return hc.slice(0, hc.size(0) / 2, hc.size(0));
    }

    private static int rowsPerTask(int hidden) {
        return Math.max(1, UNITS_PER_TASK / hidden);
    }

    /** The backward as tensor operations of the inputs, recomputing the gates: differentiable again. */
    private static Tensor[] recordedBackward(Tensor grad, Tensor inputPart, Tensor hiddenPart, Tensor biasIh, Tensor biasHh,
            Tensor c) {
        int batch = c.size(0), hidden = c.size(1);
        Tensor pre = biasIh == null ? inputPart.add(hiddenPart) : inputPart.add(biasIh).add(hiddenPart.add(biasHh));
        Tensor i = Recurrent.gate(pre, 0, hidden).sigmoid(), f = Recurrent.gate(pre, 1, hidden).sigmoid();
        Tensor g = Recurrent.gate(pre, 2, hidden).tanh(), o = Recurrent.gate(pre, 3, hidden).sigmoid();
        Tensor t = f.mul(c).add(i.mul(g)).tanh();
        Tensor dh = grad.slice(0, 0, batch), dc = grad.slice(0, batch, 2 * batch).add(dh.mul(o).mul(t.square().rsub(1f)));
        Tensor gradPre = Tensor.concat(1, dc.mul(g).mul(i.mul(i.rsub(1f))), dc.mul(c).mul(f.mul(f.rsub(1f))),
                dc.mul(i).mul(g.square().rsub(1f)), dh.mul(t).mul(o.mul(o.rsub(1f))));
        return new Tensor[] {gradPre, gradPre, biasGrad(gradPre, biasIh), biasGrad(gradPre, biasHh),
                c.requiresGrad() ? dc.mul(f) : null};
    }
}
