package dev.ravine.app.dashboard;

import dev.ravine.app.report.ReportAssets;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The scripts and styles the dashboard's pages load from /assets/NAME: uPlot and the report's chart code and style
 * (the same files report.html inlines) and the dashboard's own page scripts.
 */
final class DashboardAssets {
    /** A file served: its content type and text. */
    record Asset(String contentType, String text) {}

    private static final String JS = "text/javascript; charset=utf-8";
    private static final String CSS = "text/css; charset=utf-8";

    private final Map<String, Asset> assets;

    DashboardAssets() {
        assets = Map.of(
                "uplot.js", new Asset(JS, ReportAssets.uplotScript()),
                "uplot.css", new Asset(CSS, ReportAssets.uplotStyle()),
                "charts.js", new Asset(JS, ReportAssets.chartScript()),
                "run-charts.js", new Asset(JS, ReportAssets.runChartScript()),
                "report.css", new Asset(CSS, ReportAssets.reportStyle()),
                "dashboard.css", new Asset(CSS, own("dashboard.css")),
                "runs.js", new Asset(JS, own("runs.js")),
                "run.js", new Asset(JS, own("run.js")));
    }

    /** The asset of that name, or null. */
    Asset get(String name) {
        return assets.get(name);
    }

    private static String own(String name) {
        try (InputStream in = DashboardAssets.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("the dashboard asset " + name + " is not on the classpath next to DashboardAssets");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the dashboard asset " + name + ": " + e.getMessage(), e);
        }
    }
}
