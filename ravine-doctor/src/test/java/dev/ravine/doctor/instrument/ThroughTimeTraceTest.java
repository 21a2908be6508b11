package dev.ravine.doctor.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.autograd.GradMode;
import dev.ravine.nn.Rnn;
import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The doctor's through-time trace, read through the recurrent layer's step listener. */
class ThroughTimeTraceTest {
    /** Hidden size 1, two steps: h1 = tanh(a x1 + b), h2 = tanh(a x2 + w h1 + b), L = h2, so dL/dh1 = w (1 - h2^2). */
    @Test void firstToLastRatioIsTheBackwardFactorThroughTime() {
        Rnn rnn = new Rnn(1, 1, 1, false, new Rng(3));
        float a = 0.7f, w = 0.4f, b1 = 0.1f, b2 = -0.05f, x1 = 0.9f, x2 = -0.6f;
        rnn.namedParameters().get("weight_ih_l0").storage()[0] = a;
        rnn.namedParameters().get("weight_hh_l0").storage()[0] = w;
        rnn.namedParameters().get("bias_ih_l0").storage()[0] = b1;
        rnn.namedParameters().get("bias_hh_l0").storage()[0] = b2;
        Tensor x = Tensor.of(new float[] {x1, x2}, 1, 2, 1);
        ThroughTimeTrace trace = ThroughTimeTrace.attach(rnn);

        rnn.call(x).sum().backward();
        assertTrue(Double.isNaN(trace.firstToLastRatio()), "nothing traced when tracing is off");

        trace.enable(true);
        rnn.call(x).sum().backward();
        double h1 = Math.tanh(a * x1 + b1 + b2), h2 = Math.tanh(a * x2 + w * h1 + b1 + b2);
        assertEquals(Math.abs(w * (1 - h2 * h2)), trace.firstToLastRatio(), 1e-6);

        // an evaluation forward (no grad) does not overwrite the traced training forward
        try (var scope = GradMode.noGrad()) {
            rnn.call(x);
        }
        assertEquals(Math.abs(w * (1 - h2 * h2)), trace.firstToLastRatio(), 1e-6);

        trace.detach();
        assertTrue(Double.isNaN(trace.firstToLastRatio()), "a detached trace keeps nothing");

        // A long sequence with weak recurrent weights: the signal from the first step all but vanishes.
        Rnn long_ = new Rnn(2, 8, 1, false, new Rng(4));
        float[] whh = long_.namedParameters().get("weight_hh_l0").storage();
        for (int i = 0; i < whh.length; i++) whh[i] *= 0.2f;
        ThroughTimeTrace longTrace = ThroughTimeTrace.attach(long_);
        longTrace.enable(true);
        long_.call(Tensor.normal(new Rng(5), 0f, 1f, 4, 40, 2)).sum().backward();
        assertTrue(longTrace.firstToLastRatio() < 1e-10, "ratio " + longTrace.firstToLastRatio());
    }
}
