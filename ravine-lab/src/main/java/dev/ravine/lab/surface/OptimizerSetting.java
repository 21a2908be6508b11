package dev.ravine.lab.surface;

import java.util.Map;

/** One optimizer as a lab runs it: the label on the plots, Ravine's registry name and its options (torch's names). */
public record OptimizerSetting(String label, String name, Map<String, Object> options) {
    public OptimizerSetting {
        options = Map.copyOf(options);
    }

    /** The options as the page prints them, e.g. "lr=0.05, momentum=0.9". */
    public String describe() {
        StringBuilder s = new StringBuilder(name);
        s.append('(');
        options.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> s.append(s.charAt(s.length() - 1) == '(' ? "" : ", ").append(e.getKey()).append('=').append(e.getValue()));
        return s.append(')').toString();
    }
}
