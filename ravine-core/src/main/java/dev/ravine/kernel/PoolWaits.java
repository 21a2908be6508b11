package dev.ravine.kernel;

/**
 * How long {@link ComputePool}'s threads busy-wait instead of parking, trading CPU time for wake-up latency. A
 * parked thread on a VM takes tens of microseconds to run again once woken (its idle vCPU has halted), which on a
 * 2-core machine is a tenth of a 0.5 ms GEMM tile; OpenBLAS's threads never park between products for that reason,
 * and on a loaded machine they burn the CPU that other jobs need instead.
 *
 * <p>{@code spinNanos}: how long the caller of a parallelFor spins for the last running tasks before it parks
 * (system property {@code ravine.pool.spin}, microseconds, default 20). {@code lingerNanos}: how long a helper,
 * its tasks done, spins for the next parallelFor's tasks before it goes back to the pool, where it parks (system
 * property {@code ravine.pool.linger}, microseconds, default 0: it goes back at once). Neither changes which task
 * computes what, so neither changes a result's bits.
 */
record PoolWaits(long spinNanos, long lingerNanos) {
    static final PoolWaits DEFAULTS = new PoolWaits(20_000, 0);

    PoolWaits {
        if (spinNanos < 0 || lingerNanos < 0) {
            throw new IllegalArgumentException("pool waits must be >= 0, got spin " + spinNanos + " ns, linger " + lingerNanos + " ns");
        }
    }

    /** The defaults with {@code ravine.pool.spin} and {@code ravine.pool.linger} put in their place where set. */
    static PoolWaits configured() {
        return new PoolWaits(micros("spin", DEFAULTS.spinNanos), micros("linger", DEFAULTS.lingerNanos));
    }

    private static long micros(String name, long otherwiseNanos) {
        String value = System.getProperty("ravine.pool." + name, "").trim();
        if (value.isEmpty()) return otherwiseNanos;
        try {
            long parsed = Long.parseLong(value);
            if (parsed >= 0) return parsed * 1000;
        } catch (NumberFormatException e) {
            // fall through to the error below, which names the property
        }
        throw new IllegalArgumentException("system property ravine.pool." + name
                + " must be a whole number of microseconds >= 0, got '" + value + "'");
    }
}
