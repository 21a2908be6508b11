package dev.ravine.kernel;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
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
    private static final PoolWaits WAITS = PoolWaits.configured();
    /** A pool that {@link #runWithThreads} puts in place of the shared one for the calling thread. */
    private static final ScopedValue<ForkJoinPool> SCOPED = ScopedValue.newInstance();

    private ComputePool() {}

    /** How many threads {@link #parallelFor} may use from the calling thread. */
    public static int threads() {
        return current().getParallelism();
    }

    /**
     * Runs {@code body.accept(i)} for every i in [0, tasks) and returns when all are done. Tasks may run on any
     * thread and in any order, the calling thread included; after a task throws, tasks not yet started are skipped
     * and the exception is rethrown here.
     */
    public static void parallelFor(int tasks, IntConsumer body) {
        if (tasks < 0) throw new IllegalArgumentException("tasks must be >= 0, got " + tasks);
        ForkJoinPool pool = current();
        if (tasks == 1 || pool.getParallelism() == 1) {
            for (int i = 0; i < tasks; i++) body.accept(i);
        } else if (tasks > 1) {
            new SharedLoop(tasks, body).run(pool, Math.min(tasks, pool.getParallelism()) - 1);
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
            long from = (long) i * chunk;
            body.run((int) from, (int) Math.min(size, from + chunk));
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

    /**
     * What a helper does when its tasks are done: spins until the pool holds a task or the linger is over, then
     * returns to the pool, which runs that task at once (or parks the thread); so a parallelFor that follows within
     * the linger finds its helper awake.
     */
    static void lingerForWork(ForkJoinPool pool, long lingerNanos) {
        long until = System.nanoTime() + lingerNanos;
        while (System.nanoTime() < until && !pool.hasQueuedSubmissions() && pool.getQueuedTaskCount() == 0) {
            Thread.onSpinWait();
        }
    }

    /**
     * One parallelFor: the caller and the helpers it wakes claim task numbers from a shared counter until none are
     * left. The caller works from the start and never waits for a helper to wake up (on a VM that costs tens of
     * microseconds), only for tasks already running; a helper that wakes after the work is gone just returns. How
     * long the caller spins before it parks, and how long a helper stays awake for the next loop, is
     * {@link PoolWaits}.
     */
    private static final class SharedLoop implements Runnable {
        private final int tasks;
        private final IntConsumer body;
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicInteger finished = new AtomicInteger();
        private final Thread caller = Thread.currentThread();
        private volatile Throwable failure;

        SharedLoop(int tasks, IntConsumer body) {
            this.tasks = tasks;
            this.body = body;
        }

        void run(ForkJoinPool pool, int helpers) {
            Runnable helper = WAITS.lingerNanos() == 0 ? this : () -> {
                run();
                lingerForWork(pool, WAITS.lingerNanos());
            };
            for (int h = 0; h < helpers; h++) pool.execute(helper);
            run();
            awaitFinished();
            Throwable thrown = failure;
            if (thrown instanceof RuntimeException e) throw e;
            if (thrown instanceof Error e) throw e;
            if (thrown != null) throw new IllegalStateException("a parallelFor task failed", thrown);
        }

        /** Claims and runs tasks until none are left; the entry point of helpers, and of the caller. */
        @Override
        public void run() {
            for (int task = next.getAndIncrement(); task < tasks; task = next.getAndIncrement()) {
                try {
                    if (failure == null) body.accept(task);
                } catch (Throwable t) {
                    if (failure == null) failure = t;
                } finally {
                    if (finished.incrementAndGet() == tasks) LockSupport.unpark(caller);
                }
            }
        }

        private void awaitFinished() {
            long spinUntil = System.nanoTime() + WAITS.spinNanos();
            while (finished.get() < tasks && System.nanoTime() < spinUntil) Thread.onSpinWait();
            while (finished.get() < tasks) LockSupport.park(this);
        }
    }
}
