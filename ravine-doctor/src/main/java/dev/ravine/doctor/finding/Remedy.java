package dev.ravine.doctor.finding;

import java.util.List;

/**
 * One concrete fix: its words for people ({@code change}, e.g. {@code optimizer.lr: 0.01 -> 0.003}), why it helps
 * (tied to the technique the notes describe), and the config patches that make it ({@code optimizer.lr: 0.003}),
 * each a {@code --set} the config reader accepts, so {@code ravine doctor RUN --fix N} can write the repaired config.
 * The detectors take their remedies from {@link Remedies}, whose every entry is checked to apply and train.
 */
public record Remedy(String change, String why, List<ConfigPatch> patches) {
    public Remedy {
        patches = List.copyOf(patches);
    }

    /**
     * A remedy as words only (a fix no config key makes, such as checking the labels; a record read back from an older
     * run; a test's fixture): it has nothing to apply.
     */
    public Remedy(String change, String why) {
        this(change, why, List.of());
    }

    /** The patches as one line, {@code path: value; path: value} ({@link #parsePatches} reads it back). */
    public String patchText() {
        return String.join("; ", patches.stream().map(ConfigPatch::toString).toList());
    }

    public static List<ConfigPatch> parsePatches(String text) {
        if (text == null || text.isBlank()) return List.of();
        return java.util.Arrays.stream(text.split("; ")).map(ConfigPatch::parse).toList();
    }
}
