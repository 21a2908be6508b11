package dev.ravine.optim;

import dev.ravine.autograd.FiniteCheck;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Links applied in order; its state is the list of the links' states, namespaced "i.name" for checkpoints. */
public record Chain(List<GradientTransform> links) implements GradientTransform {
    public Chain {
        links = List.copyOf(links);
    }

    public static Chain of(GradientTransform... links) {
        return new Chain(List.of(links));
    }

    @Override
    public TransformState init(List<float[]> params) {
        List<TransformState> states = new ArrayList<>();
        for (GradientTransform t : links) states.add(t.init(params));
        return new ChainState(states);
    }

    @Override
    public void update(float[][] updates, TransformState state, float[][] params, StepContext context) {
        List<TransformState> states = ((ChainState) state).states();
        boolean checked = FiniteCheck.isOn(); // the doctor's NaN replay: which link made an update non-finite
        for (int i = 0; i < links.size(); i++) {
            boolean[] finiteBefore = checked ? FiniteCheck.finiteRows(updates) : null;
            links.get(i).update(updates, states.get(i), params, context);
            if (checked) FiniteCheck.afterLink(links.get(i).describe(), finiteBefore, updates, params);
        }
    }

    @Override
    public String describe() {
        return links.stream().map(GradientTransform::describe).collect(Collectors.joining(" -> "));
    }

    record ChainState(List<TransformState> states) implements TransformState {
        @Override
        public Map<String, float[][]> arrays() {
            Map<String, float[][]> out = new LinkedHashMap<>();
            for (int i = 0; i < states.size(); i++) {
                for (var e : states.get(i).arrays().entrySet()) out.put(i + "." + e.getKey(), e.getValue());
            }
            return out;
        }

        @Override
        public Map<String, long[]> counters() {
            Map<String, long[]> out = new LinkedHashMap<>();
            for (int i = 0; i < states.size(); i++) {
                for (var e : states.get(i).counters().entrySet()) out.put(i + "." + e.getKey(), e.getValue());
            }
            return out;
        }
    }
}
