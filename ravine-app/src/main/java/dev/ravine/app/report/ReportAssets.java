package dev.ravine.app.report;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The script and style a report inlines, read from the classpath: uPlot (the chart library, from the
 * {@code org.webjars.npm:uplot} webjar, MIT licence, kept with it in the page) and the report's own script and style.
 * Inlined so that a report opens anywhere, offline, as one file.
 */
public final class ReportAssets {
    public static final String UPLOT_VERSION = "1.6.30";
    private static final String UPLOT = "META-INF/resources/webjars/uplot/" + UPLOT_VERSION + "/";

    private ReportAssets() {}

    /**
     * window.__reportErrors collects every uncaught error and rejected promise; the page's self-check (charts.js)
     * lists them. Every chart page puts it first, so that a failure in a later script (uPlot included) is reported.
     */
    public static final String ERROR_RECORDER = """
            window.__reportErrors = [];
            window.addEventListener("error", function (e) {
              window.__reportErrors.push((e.message || "error") + " (" + (e.filename || "inline") + ":" + (e.lineno || 0) + ")");
              if (window.__reportStatus) window.__reportStatus();
            });
            window.addEventListener("unhandledrejection", function (e) {
              window.__reportErrors.push("unhandled rejection: " + e.reason);
              if (window.__reportStatus) window.__reportStatus();
            });
            """;

    public static String uplotScript() {
        return resource(UPLOT + "dist/uPlot.iife.min.js");
    }

    public static String uplotStyle() {
        return resource(UPLOT + "dist/uPlot.min.css");
    }

    public static String uplotLicense() {
        return resource(UPLOT + "LICENSE");
    }

    /** The chart code every chart page shares (window.RavineCharts: series, axes, colour map, the self-check). */
    public static String chartScript() {
        return resource("dev/ravine/app/report/charts.js");
    }

    /** The six charts of one run (window.RavineRunCharts, on top of charts.js): report.html and the dashboard's run page draw with it. */
    public static String runChartScript() {
        return resource("dev/ravine/app/report/run-charts.js");
    }

    public static String reportScript() {
        return resource("dev/ravine/app/report/report.js");
    }

    public static String reportStyle() {
        return resource("dev/ravine/app/report/report.css");
    }

    /** A script inlined into a script element must not contain the text that would end the element early. */
    public static String requireInlinable(String name, String script) {
        if (script.toLowerCase(java.util.Locale.ROOT).contains("</script")) {
            throw new IllegalStateException(name + " contains </script and cannot be inlined");
        }
        return script;
    }

    private static String resource(String path) {
        try (InputStream in = ReportAssets.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("the report asset " + path + " is not on the classpath (is the uplot webjar a dependency?)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the report asset " + path + ": " + e.getMessage(), e);
        }
    }
}
