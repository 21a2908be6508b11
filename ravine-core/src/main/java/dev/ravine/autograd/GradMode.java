package dev.ravine.autograd;

/**
 * Whether operations on this thread are recorded on the tape. Off inside {@link #noGrad()} scopes and while a
 * backward pass runs without {@code createGraph}; on while a backward pass builds a graph of its own (for
 * gradients of gradients).
 */
public final class GradMode {
    private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});

    private GradMode() {}

    public static boolean isEnabled() {
        return ENABLED.get()[0];
    }

    /** {@code try (var scope = GradMode.noGrad()) { ... }}: nothing inside is recorded. */
    public static Scope noGrad() {
        return set(false);
    }

    /** Sets the mode until the returned scope closes, then restores the previous one. */
    public static Scope set(boolean enabled) {
        boolean[] cell = ENABLED.get();
        boolean previous = cell[0];
        cell[0] = enabled;
        return () -> cell[0] = previous;
    }

    /** A scope that restores the previous mode; closing it cannot fail. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
