package dev.ravine.tensor;

/**
 * Derives a seed from a run's seed and coordinates such as (stream, epoch, batch), so a random draw can be a
 * function of where it happens instead of how many draws came before: a resumed run repeats it exactly and no
 * generator state has to be checkpointed. Each key is folded in through a SplitMix64 finalizer (Steele, Lea and
 * Flood, 2014), so neighbouring coordinates give unrelated seeds.
 */
public final class SeedMix {
    private SeedMix() {}

    public static long of(long seed, long... keys) {
        long h = finalize(seed + 0x9E3779B97F4A7C15L);
        for (long k : keys) h = finalize(h ^ finalize(k + 0x9E3779B97F4A7C15L));
        return h;
    }

    private static long finalize(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
