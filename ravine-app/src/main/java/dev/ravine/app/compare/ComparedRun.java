package dev.ravine.app.compare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Map;

/**
 * One run of a comparison: its folder, a label (the folder's name, unique among the runs), the report's data of it
 * (see {@link dev.ravine.app.report.ReportData}) and its config as dotted keys.
 */
record ComparedRun(Path folder, String label, ObjectNode data, Map<String, String> config) {

    String status() {
        return data.path("run").path("status").asText("unknown");
    }

    /** A final metric from summary.json, or NaN while the run goes on or when it has none. */
    double metric(String key) {
        JsonNode v = data.path("metrics").get(key);
        return v != null && v.isNumber() ? v.asDouble() : Double.NaN;
    }

    /** The root-cause finding (the store ranks them), as "severity id: title", or null when the doctor found nothing. */
    String topFinding() {
        JsonNode findings = data.path("findings");
        if (!findings.isArray() || findings.isEmpty()) return null;
        JsonNode f = findings.get(0);
        return f.path("severity").asText() + " " + f.path("id").asText() + ": " + f.path("title").asText();
    }
}
