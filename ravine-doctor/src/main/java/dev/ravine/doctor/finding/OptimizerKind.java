package dev.ravine.doctor.finding;

import dev.ravine.optim.DiagonalPreconditioner;
import dev.ravine.optim.OptimizerSchema;
import dev.ravine.optim.Optimizers;
import java.util.Locale;
import java.util.Map;

/** What the doctor can tell about a named optimizer from the chain its defaults make (never from the name's letters). */
public final class OptimizerKind {
    private OptimizerKind() {}

    /**
     * Whether the named optimizer (case-insensitive, as the registry knows it) scales its steps per coordinate
     * ({@link DiagonalPreconditioner}); false for an unknown name or a closure method (L-BFGS).
     */
    public static boolean adaptive(String optimizer) {
        if (optimizer == null) return false;
        String name = optimizer.toLowerCase(Locale.ROOT);
        if (!Optimizers.names().contains(name)) return false;
        OptimizerSchema schema = Optimizers.schema(name);
        return !schema.closureMethod() && DiagonalPreconditioner.presentIn(Optimizers.transform(name, Map.of()));
    }

    /** Whether the named optimizer has option {@code option} (so a remedy may name it). */
    public static boolean hasOption(String optimizer, String option) {
        if (optimizer == null) return false;
        String name = optimizer.toLowerCase(Locale.ROOT);
        return Optimizers.names().contains(name) && Optimizers.schema(name).option(option) != null;
    }
}
