package dev.ravine.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An optimizer's state as the flat named entries a checkpoint stores: a chain's per-parameter buffers as
 * {@code name/index} (the name namespaced by the chain, "1.exp_avg/0") and its counters by name; a closure method's
 * vectors and scalars as {@code closure:name}, the (double) scalars as their raw IEEE bits so they round-trip exactly.
 */
sealed interface StateEncoding {
    /** Prefix of a closure method's state entries. */
    String CLOSURE_PREFIX = "closure:";

    static StateEncoding of(TransformState state) {
        return new OfChain(state);
    }

    static StateEncoding of(ClosureMethod method) {
        return new OfClosure(method);
    }

    /** The state as flat, copied arrays. */
    Map<String, float[]> arrays();

    /** The counters, copied. */
    Map<String, long[]> counters();

    /**
     * Puts back entries read with {@link #arrays()} and {@link #counters()}, adding a line to {@code problems} for every
     * entry that is missing, unexpected or of the wrong size (and changing nothing for a closure method then).
     */
    void restore(Map<String, float[]> arrays, Map<String, long[]> counters, List<String> problems);

    record OfChain(TransformState state) implements StateEncoding {
        @Override
        public Map<String, float[]> arrays() {
            Map<String, float[]> out = new LinkedHashMap<>();
            for (var e : state.arrays().entrySet()) {
                float[][] perParam = e.getValue();
                for (int i = 0; i < perParam.length; i++) out.put(e.getKey() + "/" + i, perParam[i].clone());
            }
            return out;
        }

        @Override
        public Map<String, long[]> counters() {
            Map<String, long[]> out = new LinkedHashMap<>();
            for (var e : state.counters().entrySet()) out.put(e.getKey(), e.getValue().clone());
            return out;
        }

        @Override
        public void restore(Map<String, float[]> arrays, Map<String, long[]> counters, List<String> problems) {
            Map<String, float[]> target = new LinkedHashMap<>();
            for (var e : state.arrays().entrySet()) {
                for (int i = 0; i < e.getValue().length; i++) target.put(e.getKey() + "/" + i, e.getValue()[i]);
            }
            for (var e : target.entrySet()) {
                float[] src = arrays.get(e.getKey());
                if (src == null) problems.add("missing optimizer state '" + e.getKey() + "'");
                else if (src.length != e.getValue().length) {
                    problems.add("optimizer state '" + e.getKey() + "' has " + src.length + " values in the checkpoint, " + e.getValue().length + " here");
                } else System.arraycopy(src, 0, e.getValue(), 0, src.length);
            }
            for (String k : arrays.keySet()) if (!target.containsKey(k)) problems.add("unexpected optimizer state '" + k + "' (was it made with another optimizer?)");
            Map<String, long[]> targetCounters = state.counters();
            for (var e : targetCounters.entrySet()) {
                long[] saved = counters.get(e.getKey());
                if (saved == null) problems.add("optimizer counter '" + e.getKey() + "' is missing from the checkpoint (was it made with another optimizer?)");
                else if (saved.length != e.getValue().length) problems.add("optimizer counter '" + e.getKey() + "' has " + saved.length + " values, expected " + e.getValue().length);
                else System.arraycopy(saved, 0, e.getValue(), 0, saved.length);
            }
            for (String k : counters.keySet()) {
                if (!targetCounters.containsKey(k)) problems.add("unexpected optimizer counter '" + k + "' (was it made with another optimizer?)");
            }
        }
    }

    record OfClosure(ClosureMethod method) implements StateEncoding {
        @Override
        public Map<String, float[]> arrays() {
            Map<String, float[]> out = new LinkedHashMap<>();
            for (var e : method.arrays().entrySet()) out.put(CLOSURE_PREFIX + e.getKey(), e.getValue().clone());
            return out;
        }

        @Override
        public Map<String, long[]> counters() {
            Map<String, long[]> out = new LinkedHashMap<>();
            for (var e : method.counters().entrySet()) out.put(CLOSURE_PREFIX + e.getKey(), new long[] {Double.doubleToRawLongBits(e.getValue())});
            return out;
        }

        @Override
        public void restore(Map<String, float[]> arrays, Map<String, long[]> counters, List<String> problems) {
            int before = problems.size();
            Map<String, float[]> a = new LinkedHashMap<>();
            for (var e : arrays.entrySet()) {
                if (e.getKey().startsWith(CLOSURE_PREFIX)) a.put(e.getKey().substring(CLOSURE_PREFIX.length()), e.getValue().clone());
                else problems.add("unexpected optimizer state '" + e.getKey() + "' (was it made with another optimizer?)");
            }
            Map<String, Double> c = new LinkedHashMap<>();
            for (var e : counters.entrySet()) {
                if (e.getKey().startsWith(CLOSURE_PREFIX) && e.getValue().length == 1) {
                    c.put(e.getKey().substring(CLOSURE_PREFIX.length()), Double.longBitsToDouble(e.getValue()[0]));
                } else problems.add("unexpected optimizer counter '" + e.getKey() + "' (was it made with another optimizer?)");
            }
            if (problems.size() > before) return;
            try {
                method.restore(a, c);
            } catch (IllegalArgumentException | NullPointerException ex) {
                problems.add("the checkpoint's " + method.describe() + " state does not fit: " + ex.getMessage());
            }
        }
    }
}
