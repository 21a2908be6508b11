package dev.ravine.doctor.detect;

import dev.ravine.doctor.instrument.ActivationReading;
import dev.ravine.doctor.instrument.LayerReading;
import dev.ravine.doctor.instrument.StepReading;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Small queries over windows of readings that several detectors share. */
public final class Readings {
    private Readings() {}

    static List<StepReading> full(List<StepReading> window) {
        return window.stream().filter(StepReading::full).toList();
    }

    static Optional<LayerReading> layer(StepReading r, String layer) {
        return r.layers().stream().filter(l -> l.layer().equals(layer)).findFirst();
    }

    static Optional<ActivationReading> activation(StepReading r, String module) {
        return r.activations().stream().filter(a -> a.module().equals(module)).findFirst();
    }

    /** Layers that hold parameters, in network order (as the readings list them). */
    static List<String> parameterLayers(StepReading r) {
        List<String> out = new ArrayList<>();
        for (LayerReading l : r.layers()) out.add(l.layer());
        return out;
    }

    static double median(double[] values) {
        double[] finite = Arrays.stream(values).filter(Double::isFinite).sorted().toArray();
        if (finite.length == 0) return Double.NaN;
        int m = finite.length / 2;
        return finite.length % 2 == 1 ? finite[m] : (finite[m - 1] + finite[m]) / 2;
    }

    public static String fmt(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (v == 0) return "0";
        double a = Math.abs(v);
        if (a >= 1e-3 && a < 1e4) {
            // four significant digits without trailing zeros: 0.01, 0.003333, 30
            return new java.math.BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
        }
        return String.format("%.2e", v);
    }
}
