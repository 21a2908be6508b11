package dev.ravine.app.store;

import dev.ravine.doctor.finding.Finding;
import dev.ravine.doctor.finding.Findings;
import dev.ravine.doctor.finding.Remedy;
import dev.ravine.doctor.finding.Severity;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The findings a run recorded in its run.db (all of them, the end-of-run checks included, as the doctor left them),
 * ranked root cause first ({@link Findings#ranked}). Evidence is stored one per line and remedies one per line as
 * {@code change | why} (see {@link RunStore#putFindings}).
 */
public final class RunFindings {
    private RunFindings() {}

    public static List<Finding> read(Path database) {
        List<Finding> out = new ArrayList<>();
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + database);
             ResultSet rs = db.createStatement().executeQuery(
                     "SELECT id, severity, first_step, last_step, layers, title, cause, evidence, remedies FROM findings")) {
            while (rs.next()) {
                List<Remedy> remedies = new ArrayList<>();
                for (String line : lines(rs.getString(9))) {
                    int bar = line.indexOf(" | ");
                    remedies.add(bar < 0 ? new Remedy(line, "") : new Remedy(line.substring(0, bar), line.substring(bar + 3)));
                }
                List<String> layers = rs.getString(5).isBlank() ? List.of() : Arrays.asList(rs.getString(5).split(","));
                out.add(new Finding(rs.getString(1), rs.getString(6), Severity.valueOf(rs.getString(2).toUpperCase(Locale.ROOT)),
                        rs.getLong(3), rs.getLong(4), layers, lines(rs.getString(8)), rs.getString(7), remedies));
            }
        } catch (SQLException e) {
            throw new RunStoreException("cannot read the findings of " + database + ": " + e.getMessage(), e);
        }
        return Findings.ranked(out);
    }

    private static List<String> lines(String text) {
        return text == null || text.isBlank() ? List.of() : List.of(text.split("\n"));
    }
}
