package dev.ravine.doctor.provenance;

import dev.ravine.nn.Module;
import dev.ravine.nn.Sequential;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Each module of a model named as the config names its layer: the i-th child of the top-level network is
 * {@code model.layers[i]}, a layer inside a residual block's list {@code model.layers[2].residual.layers[0]}, and a
 * named part of a layer (an attention's out_proj, a residual's projection) {@code model.layers[3].out_proj}.
 */
public final class LayerPaths {
    private LayerPaths() {}

    /** Every module but the root, by identity, to its config path. */
    public static Map<Object, String> of(Module root) {
        Map<Object, String> names = new IdentityHashMap<>();
        for (Map.Entry<String, Module> e : root.namedModules().entrySet()) {
            if (!e.getKey().isEmpty()) names.put(e.getValue(), configPath(root, e.getKey()));
        }
        return names;
    }

    /** The config path of the module at a dotted module path ("2.block.0" -> model.layers[2].residual.layers[0]). */
    public static String configPath(Module root, String modulePath) {
        String[] parts = modulePath.split("\\.");
        StringBuilder path = new StringBuilder("model");
        Module parent = root;
        for (String part : parts) {
            Module child = parent.children().get(part);
            if (child == null) return "model." + modulePath; // not a module path: say it as it is
            if (parent instanceof Sequential && part.chars().allMatch(Character::isDigit)) {
                path.append(".layers[").append(part).append(']');
            } else if (child instanceof Sequential) {
                path.append('.').append(parent.kind()); // a block's own layer list: residual.layers[j]
            } else {
                path.append('.').append(part);
            }
            parent = child;
        }
        return path.toString();
    }

    /** The module path of a parameter's layer ("2.block.0.weight" -> "2.block.0"). */
    public static String layerOf(String parameter) {
        int dot = parameter.lastIndexOf('.');
        return dot < 0 ? "" : parameter.substring(0, dot);
    }
}
