package dev.ravine.kernel;

import java.lang.System.Logger.Level;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * How {@link Gemm} comes by its vector kernel: forced by system properties, else this machine's cached tuning
 * result, else the start-up rule (the register-file shape, {@link VectorGemm#DEFAULT_BLOCKING}) at once and a
 * timed trial ({@link GemmTuner}) in the background at the first product, whose winner replaces it and is cached
 * ({@link GemmTuningCache}) for the next start.
 *
 * <p>The trial runs beside the caller rather than before it because most of its cost is the JIT compiling each
 * candidate: measured on the 2-core Xeon under load, a shape's first products ran interpreted for 0.6-1.7 s of
 * wall time before C2 took over. Swapping kernels mid-run is invisible in the results, because no shape or
 * blocking changes a bit (see {@link VectorGemm}).
 *
 * <p>Properties: {@code ravine.gemm.tune=false} turns the trial and the cache off (tests and CI: the start-up rule
 * every time); {@code ravine.gemm.block}, {@code .mc}, {@code .kc}, {@code .nc} force a choice, and also mean no
 * trial; {@code ravine.gemm.cache} names the cache file.
 */
final class GemmTuning {
    private static final System.Logger LOG = System.getLogger(GemmTuning.class.getName());
    /** CPU time the trial may use; it keeps what it has found when this runs out. */
    static final long BUDGET_NANOS = 1_500_000_000L;
    /** Wall time after which a trial that gets little CPU gives up. */
    static final long WALL_CAP_NANOS = 20_000_000_000L;

    /** The kernel to start with, and whether a trial should follow at the first product. */
    record Start(VectorGemm kernel, boolean trial, String reason) {}

    private GemmTuning() {}

    static Start start() {
        boolean shapeForced = !System.getProperty("ravine.gemm.block", "").isBlank();
        GemmBlocking forcedBlocking = VectorGemm.DEFAULT_BLOCKING.forcedOver();
        if (shapeForced || forcedBlocking != null) {
            GemmBlocking blocking = forcedBlocking == null ? VectorGemm.DEFAULT_BLOCKING : forcedBlocking;
            return new Start(new VectorGemm(MicroKernelChoice.forThisMachine(), blocking), false, "forced");
        }
        VectorGemm rule = new VectorGemm(MicroKernelChoice.forThisMachine(), VectorGemm.DEFAULT_BLOCKING);
        if (!enabled()) return new Start(rule, false, "start-up rule, tuning off");
        Optional<GemmChoice> cached = GemmTuningCache.standard().read(MachineKey.ofThisMachine());
        if (cached.isPresent()) {
            VectorGemm kernel = usable(cached.get());
            if (kernel != null) return new Start(kernel, false, "cached");
        }
        return new Start(rule, true, "start-up rule, tuning");
    }

    /** Whether tuning is on: the system property {@code ravine.gemm.tune} is not {@code false}. */
    static boolean enabled() {
        String value = System.getProperty("ravine.gemm.tune", "true").trim();
        if (value.equals("true") || value.isEmpty()) return true;
        if (value.equals("false")) return false;
        throw new IllegalArgumentException("system property ravine.gemm.tune must be 'true' or 'false', got '" + value + "'");
    }

    /** Starts the trial on a daemon thread; {@code tuned} receives the winner if the trial finishes. */
    static void inBackground(Consumer<VectorGemm> tuned) {
        Thread thread = new Thread(() -> tuned.accept(tune(GemmTuningCache.standard(), MachineKey.ofThisMachine())),
                "ravine-gemm-tuning");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        thread.start();
    }

    /**
     * Runs the trial on this thread and caches a complete result; returns the winner (when the budget ran out, the
     * best found so far, used but not cached, so that the next start tries again).
     */
    static VectorGemm tune(GemmTuningCache cache, MachineKey key) {
        GemmTrial trial = new GemmTrial(BUDGET_NANOS, WALL_CAP_NANOS);
        GemmTuner.Outcome outcome = GemmTuner.search(
                GemmTuner.candidateShapes(key.registers(), key.pressureScheduling()), VectorGemm.DEFAULT_BLOCKING, trial);
        boolean written = outcome.complete() && cache.write(key, outcome.choice());
        LOG.log(Level.DEBUG, () -> "GEMM tuned for " + key.text() + ": " + outcome.choice() + " in "
                + trial.cpuUsedNanos() / 1_000_000 + " ms of CPU" + (outcome.complete() ? "" : " (budget spent)")
                + (written ? ", cached in " + cache.file() : ", not cached"));
        return outcome.choice().kernel();
    }

    /** The cached choice's kernel, or null when its shape is not one this machine may use (a stale entry). */
    private static VectorGemm usable(GemmChoice choice) {
        MachineKey key = MachineKey.ofThisMachine();
        for (MicroKernel shape : GemmTuner.candidateShapes(key.registers(), key.pressureScheduling())) {
            if (shape.shape().equals(choice.shape())) return new VectorGemm(shape, choice.blocking());
        }
        return null;
    }
}
