package dev.ravine.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Building blocks of the transforms' state records: per-parameter buffers and their names for checkpoints. */
final class StateArrays {
    private StateArrays() {}

    /** One zeroed buffer per parameter, the same size as it. */
    static float[][] zerosLike(List<float[]> params) {
        float[][] out = new float[params.size()][];
        for (int i = 0; i < out.length; i++) out[i] = new float[params.get(i).length];
        return out;
    }

    /** The named buffers in the given order; a null buffer (an option that is off) is left out. */
    static Map<String, float[][]> named(String name, float[][] buffer, Object... more) {
        Map<String, float[][]> m = new LinkedHashMap<>();
        if (buffer != null) m.put(name, buffer);
        for (int i = 0; i < more.length; i += 2) {
            if (more[i + 1] != null) m.put((String) more[i], (float[][]) more[i + 1]);
        }
        return m;
    }
}
