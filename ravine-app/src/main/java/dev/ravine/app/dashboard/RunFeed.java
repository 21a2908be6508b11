package dev.ravine.app.dashboard;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ravine.app.report.ReportData;
import dev.ravine.app.report.ReportDelta;
import dev.ravine.app.report.ReportSections;
import dev.ravine.app.store.RepairRecord;
import dev.ravine.app.store.RunProgress;
import dev.ravine.app.store.RunRecords;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One run as its run page follows it: first a snapshot (the report's data, {@link ReportData}), then, whenever run.db
 * has new rows, a delta ({@link ReportDelta}) of the rows after the newest step the page has. Polling reads only
 * {@link RunRecords#progress} until it changes.
 *
 * <p>A repair rolls the run back to an earlier step and replays from there, replacing the rows of the replayed steps
 * in place: until the run has recorded past the step the repair was made at, each delta starts at the step it went back
 * to, so the page replaces those rows too. Rows a resumed run forgot (a newest step below the page's) move the start
 * back the same way. The end of the run (summary.json written, or written again) sends a snapshot again, with the final metrics.
 */
final class RunFeed implements AutoCloseable {
    /** An event for the page: "snapshot" or "delta", and its data. */
    record Update(String kind, ObjectNode data) {}

    private final Path folder;
    private final RunRecords records;
    private final ReportDelta deltas;
    private RunProgress seen;
    /** summary.json's modification time when last seen (0: none yet): a new one means the run ended. */
    private long summarySeen;
    /** The newest step the page has. */
    private long cursor = -1;
    /** After a repair: deltas start at the step it went back to until the run records past {@link #replayUntil}. */
    private Long replayFrom;
    private long replayUntil;

    RunFeed(Path folder) {
        this.folder = folder;
        this.records = RunRecords.open(folder.resolve("run.db"));
        this.deltas = new ReportDelta(folder);
    }

    Update snapshot() {
        seen = records.progress();
        summarySeen = summaryModified();
        cursor = seen.lastStep();
        replayFrom = null;
        ObjectNode data = ReportData.read(folder);
        StringBuilder summary = new StringBuilder();
        ReportSections.summary(summary, data);
        data.put("summary_html", summary.toString());
        return new Update("snapshot", withSections(data));
    }

    /** The update since the last one, or null when nothing was committed since. */
    Update poll() {
        RunProgress now = records.progress();
        long summary = summaryModified();
        if (now.equals(seen) && summary == summarySeen) return null;
        if (summary != summarySeen) return snapshot();
        if (now.repairs() > seen.repairs()) {
            List<RepairRecord> repairs = records.repairs();
            RepairRecord last = repairs.getLast();
            replayFrom = replayFrom == null ? last.rolledBackTo() : Math.min(replayFrom, last.rolledBackTo());
            replayUntil = last.step();
        }
        long from = Math.min(cursor, now.lastStep());
        if (replayFrom != null) from = Math.min(from, replayFrom);
        ObjectNode delta = deltas.after(records, from);
        if (replayFrom != null && now.lastStep() > replayUntil) replayFrom = null;
        cursor = now.lastStep();
        seen = now;
        return new Update("delta", withSections(delta));
    }

    /** The findings and repairs as the report renders them (escaped HTML): the page shows them as they are. */
    private static ObjectNode withSections(ObjectNode data) {
        StringBuilder findings = new StringBuilder();
        ReportSections.findings(findings, data.get("findings"));
        StringBuilder repairs = new StringBuilder();
        ReportSections.repairs(repairs, data.get("repairs"));
        data.put("findings_html", findings.toString());
        data.put("repairs_html", repairs.toString());
        return data;
    }

    private long summaryModified() {
        try {
            return Files.getLastModifiedTime(folder.resolve("summary.json")).toMillis();
        } catch (IOException e) {
            return 0; // not written yet
        }
    }

    @Override
    public void close() {
        records.close();
    }
}
