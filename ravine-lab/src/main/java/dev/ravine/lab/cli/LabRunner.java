package dev.ravine.lab.cli;

import dev.ravine.app.TextFormat;
import dev.ravine.lab.Figure;
import dev.ravine.lab.Lab;
import dev.ravine.lab.LabCatalog;
import dev.ravine.lab.LabRun;
import dev.ravine.lab.LabSettings;
import dev.ravine.lab.page.LabFolder;
import java.io.PrintWriter;
import java.nio.file.Path;

/** What {@code lab run} and {@code lab all} share: run one lab and print its verdict, write its page and print where. */
final class LabRunner {
    private LabRunner() {}

    static LabRun run(Lab lab, boolean quick, PrintWriter out) {
        LabSettings settings = quick ? LabSettings.quick() : LabSettings.full();
        out.println("lab " + lab.number() + " " + lab.name() + ": " + lab.title() + (quick ? " (quick)" : "") + "...");
        out.flush();
        LabRun run = LabRun.of(lab, settings);
        out.println("  claim " + run.result().verdict().word() + ": " + run.result().verdict().because());
        for (String key : run.result().verdict().decidingFigures()) {
            Figure f = run.result().figure(key);
            out.println("    " + f.label() + ": " + f.formatted());
        }
        out.println("  ran in " + TextFormat.duration(run.seconds()));
        return run;
    }

    static void write(LabRun run, Path dir, PrintWriter out) {
        Path page = new LabFolder(dir).write(run, LabCatalog.all());
        out.println("  page: " + page);
        out.flush();
    }
}
