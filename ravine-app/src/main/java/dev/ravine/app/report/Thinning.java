package dev.ravine.app.report;

/**
 * Which rows of a long series the report keeps: every {@code stride}-th row (always the last one too), so that at most
 * about {@code max} rows are embedded. A report of a million-step run stays a few megabytes and draws in a moment; the
 * chart titles say when rows were skipped. Stride thinning keeps real rows rather than averages, so what is shown is
 * what was measured.
 */
record Thinning(int rows, int stride) {

    static Thinning of(int rows, int max) {
        if (max < 1) throw new IllegalArgumentException("max must be at least 1: " + max);
        return new Thinning(rows, Math.max(1, (rows + max - 1) / max));
    }

    boolean keeps(int row) {
        return row % stride == 0 || row == rows - 1;
    }
}
