package dev.ravine.app.config;

import java.util.ArrayList;
import java.util.List;

/** The problems found while reading one configuration, collected so that all of them are reported together. */
final class Problems {
    private final List<String> list = new ArrayList<>();

    void add(String problem) {
        list.add(problem);
    }

    /** Adds "path: problem (origin)". */
    void add(String path, String problem, Origin origin) {
        list.add((path.isEmpty() ? "" : path + ": ") + problem + " (" + origin.describe() + ")");
    }

    boolean isEmpty() {
        return list.isEmpty();
    }

    void throwIfAny() {
        if (!list.isEmpty()) throw new ConfigException(list);
    }
}
