package dev.ravine.lab;

/** One finished run of a lab: the lab, the settings it ran with, what it measured and its wall time in seconds. */
public record LabRun(Lab lab, LabSettings settings, LabResult result, double seconds) {
    /** Runs {@code lab} and times it. */
    public static LabRun of(Lab lab, LabSettings settings) {
        long start = System.nanoTime();
        LabResult result = lab.run(settings);
        return new LabRun(lab, settings, result, (System.nanoTime() - start) / 1e9);
    }
}
