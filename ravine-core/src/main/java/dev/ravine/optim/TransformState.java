package dev.ravine.optim;

import java.util.Map;

/**
 * The state of one link of an optimizer chain, as plain data: named per-parameter arrays (moments, momentum
 * buffers) and named counters. Checkpoints save and restore exactly these, so a resumed run is bit-identical.
 */
public interface TransformState {
    /** Per-parameter buffers, by name; restore overwrites their contents in place. */
    Map<String, float[][]> arrays();

    /** Counters such as a step count, by name; each a long[] so it can be updated in place. */
    Map<String, long[]> counters();

    TransformState EMPTY = new TransformState() {
        @Override
        public Map<String, float[][]> arrays() {
            return Map.of();
        }

        @Override
        public Map<String, long[]> counters() {
            return Map.of();
        }
    };
}
