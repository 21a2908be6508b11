package dev.ravine.kernel;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * The engine's one pool of compute threads. Kernels split their work into numbered tasks and hand them to
 * {@link #parallelFor}; the pool only decides which thread runs which task, so a kernel whose tasks are fixed by
 * the problem (not by the thread count) gives the same bits however many threads there are.
 *
 * <p>The size is the system property {@code ravine.threads}, else the number of available processors.
 */
public final class ComputePool {
    /** The body of {@link #parallelRange}: processes the indices {@code from} (inclusive) to {@code to} (exclusive). */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    private static final AtomicInteger WORKER_NUMBERS = new AtomicInteger();
    private static final ForkJoinPool.ForkJoinWorkerThreadFactory WORKERS = ComputePool::newWorker;
    private static final ForkJoinPool SHARED = newPool(configuredThreads());
    /** A pool that {@link #runWithThreads} puts in place of the shared one for the calling thread. */
    private static final ScopedValue<ForkJoinPool> SCOPED = ScopedValue.newInstance();

    private ComputePool() {}

    /** How many threads {@link #parallelFor} may use from the calling thread. */
    public static int threads() {
        return current().getParallelism();
    }

    /**
     * Runs {@code body.accept(i)} for every i in [0, tasks) and returns when all are done. Tasks may run on any
     * thread and in any order; a task's exception is rethrown here (later tasks may not run).
     */
    public static void parallelFor(int tasks, IntConsumer body) {
        if (tasks < 0) throw new IllegalArgumentException("tasks must be >= 0, got " + tasks);
        ForkJoinPool pool = current();
        if (tasks == 1 || pool.getParallelism() == 1) {
            for (int i = 0; i < tasks; i++) body.accept(i);
        } else if (tasks > 1) {
            pool.invoke(new Split(0, tasks, body));
        }
    }

    /**
     * Splits [0, size) into consecutive chunks of {@code chunk} indices (the last may be shorter) and runs
     * {@code body} on each in parallel. The chunks depend only on size and chunk, never on the thread count, so a
     * body that reduces within its chunk gives the same result on any machine.
     */
    public static void parallelRange(int size, int chunk, RangeBody body) {
        if (size < 0 || chunk < 1) {
            throw new IllegalArgumentException("need size >= 0 and chunk >= 1, got size " + size + ", chunk " + chunk);
        }
        int chunks = (int) (((long) size + chunk - 1) / chunk);
        parallelFor(chunks, i -> {
            int from = i * chunk;
            body.run(from, Math.min(size, from + chunk));
        });
    }

    /**
     * Runs {@code action} with a temporary pool of the given size in place of the shared one, for the calling thread
     * and the tasks it starts; for tests and tools that compare thread counts.
     */
    public static void runWithThreads(int threads, Runnable action) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        try (ForkJoinPool pool = newPool(threads)) {
            ScopedValue.where(SCOPED, pool).run(action);
        }
    }

    /**
     * A scoped pool is not visible on its own worker threads, so a task that nests a parallelFor finds its pool
     * through the thread it runs on.
     */
    private static ForkJoinPool current() {
        if (SCOPED.isBound()) return SCOPED.get();
        ForkJoinPool running = ForkJoinTask.getPool();
        if (running != null && running.getFactory() == WORKERS) return running;
        return SHARED;
    }

    private static int configuredThreads() {
        String property = System.getProperty("ravine.threads");
        if (property == null || property.isBlank()) return Runtime.getRuntime().availableProcessors();
        try {
            int threads = Integer.parseInt(property.trim());
            if (threads >= 1) return threads;
        } catch (NumberFormatException e) {
            // fall through to the error below, which names the property
        }
        throw new IllegalArgumentException("system property ravine.threads must be a positive integer, got '" + property + "'");
    }

    private static ForkJoinPool newPool(int threads) {
        return new ForkJoinPool(threads, WORKERS, null, false);
    }

    private static ForkJoinWorkerThread newWorker(ForkJoinPool pool) {
        ForkJoinWorkerThread worker = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
        worker.setName("ravine-compute-" + WORKER_NUMBERS.incrementAndGet());
        return worker;
    }

    /** Halves its index range until one index is left, so idle threads steal big halves first. */
    private static final class Split extends RecursiveAction {
        private final int from;
        private final int to;
        private final IntConsumer body;

        Split(int from, int to, IntConsumer body) {
            this.from = from;
            this.to = to;
            this.body = body;
        }

        @Override
        protected void compute() {
            if (to - from == 1) {
                body.accept(from);
                return;
            }
            int middle = (from + to) >>> 1;
            invokeAll(new Split(from, middle, body), new Split(middle, to, body));
        }
    }
}
