package dev.ravine.tensor;

/**
 * The one explicit random number generator of a run: xoshiro256** (Blackman and Vigna, 2018).
 * Its whole state is five longs plus a cached normal, so a checkpoint can save and restore it bit-exactly,
 * which java.util.Random does not allow.
 */
public final class Rng {
    private long s0, s1, s2, s3;
    private boolean hasSpareNormal;
    private double spareNormal;

    public Rng(long seed) {
        // SplitMix64 expands the seed so nearby seeds give unrelated streams.
        long x = seed;
        s0 = splitMix(x += 0x9E3779B97F4A7C15L);
        s1 = splitMix(x += 0x9E3779B97F4A7C15L);
        s2 = splitMix(x += 0x9E3779B97F4A7C15L);
        s3 = splitMix(x + 0x9E3779B97F4A7C15L);
    }

    private static long splitMix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public long nextLong() {
        long result = Long.rotateLeft(s1 * 5, 7) * 9;
        long t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = Long.rotateLeft(s3, 45);
        return result;
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, 1) with 24 random bits. */
    public float nextFloat() {
        return (nextLong() >>> 40) * 0x1.0p-24f;
    }

    /** Uniform integer in [0, bound), unbiased (Lemire's rejection). */
    public int nextInt(int bound) {
        if (bound <= 0) throw new IllegalArgumentException("bound must be positive, got " + bound);
        // A 32-bit random value times bound: the high 32 bits are the result, the low 32 decide rejection.
        long r = (nextLong() >>> 32) * bound;
        long low = r & 0xFFFFFFFFL;
        if (low < bound) {
            long threshold = (0x1_0000_0000L - bound) % bound;
            while (low < threshold) {
                r = (nextLong() >>> 32) * bound;
                low = r & 0xFFFFFFFFL;
            }
        }
        return (int) (r >>> 32);
    }

    /** Standard normal by the Marsaglia polar method; the second value of each pair is cached (and checkpointed). */
    public double nextGaussian() {
        if (hasSpareNormal) {
            hasSpareNormal = false;
            return spareNormal;
        }
        double u, v, s;
        do {
            u = 2 * nextDouble() - 1;
            v = 2 * nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double m = Math.sqrt(-2 * Math.log(s) / s);
        spareNormal = v * m;
        hasSpareNormal = true;
        return u * m;
    }

    /** Fisher-Yates shuffle of {@code a} in place. */
    public void shuffle(int[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** A new generator derived from this one's next output, for an independent stream (e.g. one per epoch). */
    public Rng split() {
        return new Rng(nextLong());
    }

    /**
     * A new generator derived from this one's next output and {@code stream}: from the same state, different stream
     * numbers give unrelated generators ({@code split(0)} is {@link #split()}). For draws repeated from one restored
     * state that must still differ, such as a second re-initialization after a rollback to the same checkpoint.
     */
    public Rng split(long stream) {
        return new Rng(nextLong() ^ stream * 0x9E3779B97F4A7C15L);
    }

    public long[] state() {
        return new long[] {s0, s1, s2, s3, hasSpareNormal ? 1 : 0, Double.doubleToRawLongBits(spareNormal)};
    }

    public void restore(long[] state) {
        if (state.length != 6) throw new IllegalArgumentException("an Rng state has 6 longs, got " + state.length);
        s0 = state[0];
        s1 = state[1];
        s2 = state[2];
        s3 = state[3];
        hasSpareNormal = state[4] != 0;
        spareNormal = Double.longBitsToDouble(state[5]);
    }
}
