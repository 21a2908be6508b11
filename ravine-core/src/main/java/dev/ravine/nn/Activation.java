package dev.ravine.nn;

import dev.ravine.nn.functional.Functional;
import dev.ravine.tensor.Tensor;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * An element-wise nonlinearity layer. Each kind is a composition of differentiable tensor operations, so its
 * second derivative is exact too. Formulas and defaults follow torch.nn.
 */
public final class Activation extends Module {
    public enum Kind {
        RELU, LEAKY_RELU, ELU, GELU, SIGMOID, TANH, SOFTPLUS, SOFTMAX;

        public String configName() {
            return name().toLowerCase();
        }

        public static Kind parse(String name) {
            for (Kind k : values()) if (k.configName().equals(name)) return k;
            throw new IllegalArgumentException("unknown activation '" + name + "'; valid: "
                    + Arrays.stream(values()).map(Kind::configName).collect(Collectors.joining(", ")));
        }
    }

    private final Kind kind;
    /** negative slope for leaky_relu (default 0.01), alpha for elu (default 1). */
    private final float parameter;

    public Activation(Kind kind) {
        this(kind, kind == Kind.LEAKY_RELU ? 0.01 : 1.0);
    }

    public Activation(Kind kind, double parameter) {
        this.kind = kind;
        this.parameter = (float) parameter;
    }

    public Kind activation() {
        return kind;
    }

    /** leaky_relu's negative slope, elu's alpha; unused by the other kinds. */
    public float parameter() {
        return parameter;
    }

    public static Activation relu() {
        return new Activation(Kind.RELU);
    }

    @Override
    protected Tensor forward(Tensor x) {
        return apply(kind, parameter, x);
    }

    static Tensor apply(Kind kind, float parameter, Tensor x) {
        return switch (kind) {
            case RELU -> x.relu();
            case LEAKY_RELU -> {
                // x * (1 where x > 0 else slope): the factor is a constant, so the derivative is exact.
                float[] v = x.values();
                float[] factor = new float[v.length];
                for (int i = 0; i < v.length; i++) factor[i] = v[i] > 0 ? 1f : parameter;
                yield x.mul(Tensor.of(factor, x.shape()));
            }
            // exp only of min(x, 0): the branch not taken must not overflow, or its zero gradient times inf gives NaN.
            case ELU -> Tensor.where(x.gt(0f), x, x.minimum(Tensor.scalar(0f)).exp().sub(1f).mul(parameter));
            // exact GELU, x * Phi(x), as torch.nn.GELU() (approximate='none')
            case GELU -> x.mul(x.normalCdf());
            case SIGMOID -> x.sigmoid();
            case TANH -> x.tanh();
            case SOFTPLUS -> x.softplus();
            case SOFTMAX -> Functional.softmax(x);
        };
    }

    @Override
    public String kind() {
        return kind.configName();
    }

    @Override
    public int[] outputShape(int[] in) {
        return in;
    }
}
