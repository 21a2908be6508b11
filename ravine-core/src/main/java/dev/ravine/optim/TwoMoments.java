package dev.ravine.optim;

import java.util.List;
import java.util.Map;

/**
 * The state of a link that keeps two per-parameter running averages and a per-parameter step count (AdaMax's m and
 * u, RAdam's m and v, Adadelta's square_avg and acc_delta), under torch.optim's state names so checkpoints read alike.
 */
record TwoMoments(String firstName, float[][] first, String secondName, float[][] second, long[] count) implements TransformState {
    static TwoMoments zeros(String firstName, String secondName, List<float[]> params) {
        return new TwoMoments(firstName, StateArrays.zerosLike(params), secondName, StateArrays.zerosLike(params), new long[params.size()]);
    }

    @Override
    public Map<String, float[][]> arrays() {
        return StateArrays.named(firstName, first, secondName, second);
    }

    @Override
    public Map<String, long[]> counters() {
        return Map.of("step", count);
    }
}
