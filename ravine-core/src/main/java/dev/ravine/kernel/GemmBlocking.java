package dev.ravine.kernel;

/**
 * The cache blocking of {@link VectorGemm}: mc rows of op(A) per packed block, kc of depth per micro-kernel call
 * (at most {@link VectorGemm#DEPTH}) and nc columns of op(B) per packed panel. None of them changes a result's
 * bits (see {@link VectorGemm}), so each machine may use its own.
 */
record GemmBlocking(int mc, int kc, int nc) {
    GemmBlocking {
        if (mc < 1 || kc < 1 || nc < 1) {
            throw new IllegalArgumentException("GEMM blocking must be positive, got mc " + mc + ", kc " + kc + ", nc " + nc);
        }
    }

    /**
     * This blocking with any of {@code ravine.gemm.mc}, {@code ravine.gemm.kc}, {@code ravine.gemm.nc} that are set
     * put in its place, for benchmarks; null when none is set.
     */
    GemmBlocking forcedOver() {
        String mcForced = property("mc"), kcForced = property("kc"), ncForced = property("nc");
        if (mcForced == null && kcForced == null && ncForced == null) return null;
        return new GemmBlocking(parse("mc", mcForced, mc), parse("kc", kcForced, kc), parse("nc", ncForced, nc));
    }

    @Override
    public String toString() {
        return "mc " + mc + " kc " + kc + " nc " + nc;
    }

    private static String property(String name) {
        String value = System.getProperty("ravine.gemm." + name, "").trim();
        return value.isEmpty() ? null : value;
    }

    private static int parse(String name, String value, int otherwise) {
        if (value == null) return otherwise;
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= 1) return parsed;
        } catch (NumberFormatException e) {
            // fall through to the error below, which names the property
        }
        throw new IllegalArgumentException("system property ravine.gemm." + name + " must be a positive integer, got '" + value + "'");
    }
}
