package dev.ravine.app.sweep;

import dev.ravine.app.config.ConfigReader;
import dev.ravine.io.AtomicFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A sweep of one config over a grid and seeds, in one folder:
 * <pre>
 * trials/&lt;combination&gt;_seed=N/   one run folder per trial (config.yaml, run.db, summary.json, report.html, ...)
 * logs/&lt;trial&gt;.log                what each trial's ravine train printed
 * sweep.txt, sweep.html              the sweep table, written when every trial has ended
 * </pre>
 * Seeds are 1..seeds. Every combination is read as a config before any trial starts, so a bad key or value is
 * reported at once rather than by each trial.
 */
public final class Sweep {
    public static final String TABLE_FILE = "sweep.txt";
    public static final String PAGE_FILE = "sweep.html";

    private Sweep() {}

    /** The trials of {@code grid} x seeds under {@code folder}, in order (combinations outer, seeds inner). */
    static List<Trial> plan(Grid grid, int seeds, Path folder) {
        List<Trial> trials = new ArrayList<>();
        for (Map<String, String> c : grid.combinations()) {
            for (long seed = 1; seed <= seeds; seed++) {
                trials.add(new Trial(trials.size() + 1, c, seed, folder.resolve("trials").resolve(Trial.folderName(c, seed))));
            }
        }
        return trials;
    }

    /** Refuses seed and parallelism settings a sweep cannot run with, before anything is printed or written. */
    public static void checkSettings(int seeds, int parallel, int cores) {
        if (seeds < 1) throw new IllegalArgumentException("--seeds " + seeds + ": give at least 1");
        if (parallel < 1) throw new IllegalArgumentException("--parallel " + parallel + ": give at least 1");
        if (parallel > cores) {
            throw new IllegalArgumentException("--parallel " + parallel + " is more than this machine's " + cores + " cores: trials would "
                    + "share cores and each run slower; use --parallel " + cores + " or less");
        }
    }

    public static SweepResult run(Path config, Grid grid, List<String> sets, int seeds, int parallel, int cores, Path folder, Path workingDir,
                                  Consumer<TrialOutcome> onDone) throws InterruptedException {
        checkSettings(seeds, parallel, cores);
        int threads = cores / parallel;
        return runWith(config, grid, sets, seeds, parallel, threads, folder, workingDir,
                trials -> new SweepRunner(config, sets, parallel, threads, folder.resolve("logs"), workingDir, onDone).run(trials));
    }

    /** Where a sweep's trials run: this machine's cores ({@link SweepRunner}) or a cluster's (ravine-spark). */
    public interface TrialExecutor {
        /** Runs every trial and gives their outcomes in trial order. */
        List<TrialOutcome> run(List<Trial> trials) throws InterruptedException;
    }

    /**
     * A sweep whose trials {@code executor} runs, {@code parallel} at a time with {@code threads} compute threads each
     * (as the table reports them); the folder, its checks and the table are the same wherever the trials ran.
     */
    public static SweepResult runWith(Path config, Grid grid, List<String> sets, int seeds, int parallel, int threads, Path folder,
                                      Path workingDir, TrialExecutor executor) throws InterruptedException {
        if (seeds < 1) throw new IllegalArgumentException("--seeds " + seeds + ": give at least 1");
        List<Trial> trials = checkTrials(config, grid, sets, seeds, folder, workingDir);
        prepare(folder);
        long start = System.nanoTime();
        List<TrialOutcome> outcomes = executor.run(trials);
        SweepResult result = new SweepResult(folder, grid, seeds, parallel, threads, (System.nanoTime() - start) / 1e9, outcomes);
        try {
            AtomicFile.writeString(folder.resolve(TABLE_FILE), SweepTable.render(result));
            AtomicFile.writeString(folder.resolve(PAGE_FILE), SweepPage.render(result));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the sweep table into " + folder + ": " + e.getMessage(), e);
        }
        return result;
    }

    /**
     * Reads every trial's config (a bad key or value fails here, before any trial or cluster starts) and gives the
     * trials in order.
     */
    public static List<Trial> checkTrials(Path config, Grid grid, List<String> sets, int seeds, Path folder, Path workingDir) {
        List<Trial> trials = plan(grid, seeds, folder);
        for (Trial t : trials) ConfigReader.read(config, overrides(sets, t), workingDir);
        return trials;
    }

    /** The --set arguments of a trial: the sweep's own, then the grid values and the seed (later ones win). */
    static List<String> overrides(List<String> sets, Trial t) {
        List<String> out = new ArrayList<>(sets);
        t.combination().forEach((k, v) -> out.add(k + "=" + v));
        out.add("seed=" + t.seed());
        return out;
    }

    private static void prepare(Path folder) {
        try {
            if (Files.isDirectory(folder)) {
                try (Stream<Path> s = Files.list(folder)) {
                    if (s.findAny().isPresent()) {
                        throw new IllegalArgumentException("--out " + folder + " already exists and is not empty; choose a new folder for the sweep");
                    }
                }
            }
            Files.createDirectories(folder.resolve("trials"));
            Files.createDirectories(folder.resolve("logs"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the sweep folder " + folder + ": " + e.getMessage(), e);
        }
    }
}
