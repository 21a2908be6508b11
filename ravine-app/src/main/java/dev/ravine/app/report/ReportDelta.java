package dev.ravine.app.report;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ravine.app.store.RunRecords;
import java.nio.file.Path;
import java.util.List;

/**
 * What a run recorded after a step, in the shape of {@link ReportData} so that a page holding the earlier rows can add
 * these and draw again with the same chart code: the dashboard sends one to its run page whenever run.db has new rows.
 * The step-keyed columns (steps, layers, activations, curvature) hold only the rows after {@code from}; epochs,
 * findings, repairs and the status are whole, since they are few and rewritten in place (a finding's last step, an
 * epoch replayed after a repair).
 *
 * <pre>
 * from, status, steps, layers, activations, curvature, epochs, findings, repairs   (null where the run has none)
 * </pre>
 */
public final class ReportDelta {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    /** The kind of each top-level layer, for the layer labels (read once: the config does not change during a run). */
    private final List<String> layerKinds;

    public ReportDelta(Path runFolder) {
        this.layerKinds = ConfigFacts.read(runFolder.resolve("config.yaml")).layerKinds();
    }

    /** The rows recorded after step {@code from} (every row for {@code from} below the first step). */
    public ObjectNode after(RunRecords records, long from) {
        ObjectNode out = F.objectNode();
        out.put("from", from);
        out.put("status", records.meta().getOrDefault("status", "unknown"));
        out.set("steps", RunTables.steps(records.steps(from), ReportData.MAX_STEP_POINTS));
        out.set("layers", ReportData.withLabels(RunTables.layers(records.layerReadings(from), ReportData.MAX_READING_COLUMNS), layerKinds));
        out.set("activations", ReportData.withLabels(RunTables.activations(records.activationReadings(from), ReportData.MAX_READING_COLUMNS),
                layerKinds));
        out.set("curvature", RunTables.curvature(records.curvature(from), ReportData.MAX_STEP_POINTS));
        out.set("epochs", RunTables.epochs(records.epochs()));
        out.set("findings", RunTables.findings(records.findings()));
        out.set("repairs", ReportData.repairs(records));
        return out;
    }
}
