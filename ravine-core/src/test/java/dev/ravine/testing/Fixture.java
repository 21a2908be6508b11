package dev.ravine.testing;

import dev.ravine.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One PyTorch reference case from {@code src/test/resources/fixtures} (written by tools/gen_fixtures.py): tensors
 * as {"shape", "data"} entries plus scalar hyper-parameters. {@link #compare} records every mismatch with the
 * fixture, field and index, and {@link #failures} lists them so a test can report all of them at once.
 */
public final class Fixture {
    private final String path;
    private final Map<String, Object> root;
    private final List<String> failures = new ArrayList<>();

    private Fixture(String path, Map<String, Object> root) {
        this.path = path;
        this.root = root;
    }

    /** Loads {@code fixtures/<path>} from the test class path. */
    @SuppressWarnings("unchecked")
    public static Fixture load(String path) {
        String resource = "/fixtures/" + path;
        try (InputStream in = Fixture.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalArgumentException("fixture " + resource + " not found; run /usr/bin/python3 tools/gen_fixtures.py");
            return new Fixture(path, (Map<String, Object>) Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException("reading fixture " + resource, e);
        }
    }

    public String path() {
        return path;
    }

    public boolean has(String key) {
        return root.containsKey(key);
    }

    private Object raw(String key) {
        if (!root.containsKey(key)) throw new IllegalArgumentException("fixture " + path + " has no field '" + key + "'");
        return root.get(key);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> tensorEntry(String key) {
        Object o = raw(key);
        if (!(o instanceof Map)) throw new IllegalArgumentException("fixture " + path + " field '" + key + "' is not a tensor");
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    public int[] shape(String key) {
        List<Object> s = (List<Object>) tensorEntry(key).get("shape");
        int[] out = new int[s.size()];
        for (int i = 0; i < out.length; i++) out[i] = ((Double) s.get(i)).intValue();
        return out;
    }

    @SuppressWarnings("unchecked")
    public float[] data(String key) {
        List<Object> d = (List<Object>) tensorEntry(key).get("data");
        float[] out = new float[d.size()];
        for (int i = 0; i < out.length; i++) out[i] = (float) value(d.get(i));
        return out;
    }

    /** A JSON number, or one of the strings "NaN", "Infinity", "-Infinity" that stand for what JSON cannot write. */
    private static double value(Object o) {
        return o instanceof String s ? Double.parseDouble(s) : (Double) o;
    }

    /** A new leaf tensor holding the field's values. */
    public Tensor tensor(String key) {
        return Tensor.of(data(key), shape(key));
    }

    public double number(String key) {
        return value(raw(key));
    }

    public int integer(String key) {
        return (int) number(key);
    }

    public boolean bool(String key) {
        return (Boolean) raw(key);
    }

    public String string(String key) {
        return (String) raw(key);
    }

    @SuppressWarnings("unchecked")
    public int[] integers(String key) {
        List<Object> l = (List<Object>) raw(key);
        int[] out = new int[l.size()];
        for (int i = 0; i < out.length; i++) out[i] = ((Double) l.get(i)).intValue();
        return out;
    }

    /** A list of numbers (a hyper-parameter such as class weights). */
    @SuppressWarnings("unchecked")
    public double[] numbers(String key) {
        List<Object> l = (List<Object>) raw(key);
        double[] out = new double[l.size()];
        for (int i = 0; i < out.length; i++) out[i] = (Double) l.get(i);
        return out;
    }

    @SuppressWarnings("unchecked")
    public List<String> strings(String key) {
        List<String> out = new ArrayList<>();
        for (Object o : (List<Object>) raw(key)) out.add((String) o);
        return out;
    }

    /** The names after {@code prefix} of every field that starts with it, in file order. */
    public Set<String> namesWithPrefix(String prefix) {
        Set<String> out = new LinkedHashSet<>();
        for (String k : root.keySet()) if (k.startsWith(prefix)) out.add(k.substring(prefix.length()));
        return out;
    }

    /** True when |actual - expected| <= tol * max(1, |expected|); NaN never passes. */
    public static boolean close(float actual, float expected, double tol) {
        return Math.abs((double) actual - expected) <= tol * Math.max(1.0, Math.abs((double) expected));
    }

    /** Compares a tensor with the fixture field {@code key}; records a failure message and returns false on mismatch. */
    public boolean compare(String key, Tensor actual, double tol) {
        if (actual == null) {
            failures.add(path + " " + key + ": no value (gradient missing?)");
            return false;
        }
        return compare(key, actual.toArray(), actual.shape(), shape(key), data(key), 0, tol, "");
    }

    /** Compares {@code actual} with the part of field {@code key} starting at {@code offset}, of the given shape. */
    public boolean compare(String key, float[] actual, int[] actualShape, int[] expectedShape, float[] expectedAll, int offset,
            double tol, String context) {
        String where = path + " " + key + context;
        if (!Arrays.equals(actualShape, expectedShape)) {
            failures.add(where + ": shape " + Arrays.toString(actualShape) + ", expected " + Arrays.toString(expectedShape));
            return false;
        }
        int bad = 0;
        StringBuilder first = new StringBuilder();
        for (int i = 0; i < actual.length; i++) {
            float e = expectedAll[offset + i], a = actual[i];
            if (!close(a, e, tol)) {
                if (bad < 5) {
                    first.append(String.format("%n    index %d %s: expected %s, got %s (|diff| %.3g)", i,
                            Arrays.toString(unravel(i, expectedShape)), e, a, Math.abs((double) a - e)));
                }
                bad++;
            }
        }
        if (bad > 0) {
            failures.add(where + ": " + bad + " of " + actual.length + " values differ beyond " + tol + " * max(1, |expected|)" + first);
            return false;
        }
        return true;
    }

    public void fail(String message) {
        failures.add(path + ": " + message);
    }

    public List<String> failures() {
        return List.copyOf(failures);
    }

    /** A report of all mismatches, or null when there were none. */
    public String report() {
        return failures.isEmpty() ? null : failures.size() + " mismatch(es) against PyTorch:\n  " + String.join("\n  ", failures);
    }

    private static int[] unravel(int flat, int[] shape) {
        int[] idx = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = flat % shape[d];
            flat /= shape[d];
        }
        return idx;
    }
}
