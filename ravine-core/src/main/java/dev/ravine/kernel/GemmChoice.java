package dev.ravine.kernel;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A micro-kernel shape and a cache blocking for {@link VectorGemm}, as the tuner picks them and its cache keeps
 * them, written like {@code 8x2 mc 64 kc 256 nc 512}.
 */
record GemmChoice(String shape, GemmBlocking blocking) {
    private static final Pattern TEXT = Pattern.compile("(\\d+x\\d+) mc (\\d+) kc (\\d+) nc (\\d+)");

    /** The kernel this choice stands for. */
    VectorGemm kernel() {
        return new VectorGemm(MicroKernelChoice.byShape(shape), blocking);
    }

    /** The inverse of {@link #toString()}; throws IllegalArgumentException for anything else, or an unknown shape. */
    static GemmChoice parse(String text) {
        Matcher matcher = TEXT.matcher(text == null ? "" : text.trim());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not a GEMM choice (like '8x2 mc 64 kc 256 nc 512'): '" + text + "'");
        }
        try {
            MicroKernelChoice.byShape(matcher.group(1));
            return new GemmChoice(matcher.group(1), new GemmBlocking(Integer.parseInt(matcher.group(2)),
                    Integer.parseInt(matcher.group(3)), Integer.parseInt(matcher.group(4))));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a GEMM choice: '" + text + "': " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return shape + " " + blocking;
    }
}
