package dev.ravine.optim;

import java.util.List;
import java.util.Map;

/**
 * Heavy-ball momentum with PyTorch's SGD rule: buf = momentum buf + (1 - dampening) g, except that the first
 * step sets buf = g; the update is buf, or g + momentum buf with Nesterov (Sutskever et al., 2013 form). With a
 * {@code cycle} (a schedule's cycle_momentum) the momentum of each step is the cycle's, as torch's schedulers set
 * {@code group['momentum']} before every step; {@code momentum} is then unused.
 */
public record TraceMomentum(double momentum, double dampening, boolean nesterov, MomentumSchedule cycle) implements GradientTransform {
    public TraceMomentum(double momentum, double dampening, boolean nesterov) {
        this(momentum, dampening, nesterov, null);
    }

    public TraceMomentum {
        if (momentum < 0) throw new IllegalArgumentException("momentum must be >= 0, got " + momentum);
        if (nesterov && (momentum <= 0 && cycle == null || dampening != 0)) {
            throw new IllegalArgumentException("Nesterov momentum requires momentum > 0 and dampening = 0");
        }
    }

    record State(float[][] buffer, long[] initialized) implements TransformState {
        @Override
        public Map<String, float[][]> arrays() {
            return Map.of("momentum_buffer", buffer);
        }

        @Override
        public Map<String, long[]> counters() {
            return Map.of("initialized", initialized);
        }
    }

    @Override
    public TransformState init(List<float[]> params) {
        float[][] buf = new float[params.size()][];
        for (int i = 0; i < buf.length; i++) buf[i] = new float[params.get(i).length];
        return new State(buf, new long[buf.length]);
    }

    @Override
    public void update(float[][] updates, TransformState state, float[][] params, StepContext context) {
        if (momentum == 0 && cycle == null) return;
        State s = (State) state;
        float m = (float) (cycle == null ? momentum : cycle.momentum(context.step())), keep = (float) (1 - dampening);
        for (int p = 0; p < updates.length; p++) {
            if (!context.isActive(p)) continue;
            // torch.optim.SGD creates a parameter's buffer (buf = g) at the first step that parameter has a gradient.
            boolean first = s.initialized[p] == 0;
            s.initialized[p] = 1;
            float[] g = updates[p], b = s.buffer[p];
            for (int i = 0; i < g.length; i++) {
                b[i] = first ? g[i] : m * b[i] + keep * g[i];
                g[i] = nesterov ? g[i] + m * b[i] : b[i];
            }
        }
    }

    @Override
    public String describe() {
        return (nesterov ? "nesterov(" : "momentum(") + (cycle == null ? Double.toString(momentum) : "cycled by the schedule") + (dampening != 0 ? ", dampening " + dampening : "") + ")";
    }
}
