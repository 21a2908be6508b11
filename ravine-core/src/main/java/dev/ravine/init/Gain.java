package dev.ravine.init;

/** Recommended gains per nonlinearity (torch.nn.init.calculate_gain). */
public final class Gain {
    private Gain() {}

    public static double of(String nonlinearity, double negativeSlope) {
        return switch (nonlinearity) {
            case "linear", "identity", "sigmoid", "conv2d" -> 1.0;
            case "tanh" -> 5.0 / 3;
            case "relu" -> Math.sqrt(2.0);
            case "leaky_relu" -> Math.sqrt(2.0 / (1 + negativeSlope * negativeSlope));
            case "selu" -> 3.0 / 4;
            default -> throw new IllegalArgumentException("unknown nonlinearity '" + nonlinearity
                    + "'; valid: linear, identity, sigmoid, conv2d, tanh, relu, leaky_relu, selu");
        };
    }
}
