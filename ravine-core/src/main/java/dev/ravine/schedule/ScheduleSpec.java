package dev.ravine.schedule;

import java.util.List;

/**
 * A schedule the registry ({@link Schedules}) knows: its name, a description, and its options with torch's names
 * (snake_case) and defaults; a null fallback marks a required option.
 */
public record ScheduleSpec(String name, String description, List<Option> options) {
    public enum Type { NUMBER, INTEGER, BOOL, CHOICE, INTEGERS, SCHEDULES }

    /** @param choices the valid values of a CHOICE option */
    public record Option(String name, Type type, Object fallback, List<String> choices) {
        public boolean required() {
            return fallback == null;
        }
    }

    public List<String> optionNames() {
        return options.stream().map(Option::name).toList();
    }

    public Option option(String name) {
        for (Option o : options) if (o.name().equals(name)) return o;
        return null;
    }
}
