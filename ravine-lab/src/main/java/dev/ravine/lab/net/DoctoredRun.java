package dev.ravine.lab.net;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ravine.app.run.TrainingRun;
import dev.ravine.data.Dataset;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One run of {@code ravine train} in-process, with the doctor as every user gets it: the lab's data set written as a
 * CSV table and a config naming it, trained by {@link TrainingRun} into a run folder under {@code dir}, and the
 * outcome read back from the run's {@code summary.json}. Labs that ask whether the doctor names a fault use this, so
 * that they measure the same checks (data checks before the first step, detectors during the run, reference networks
 * and the label-noise check at its end) that a user's run gets.
 *
 * @param trainLoss    the final training loss (NaN when the run diverged)
 * @param testAccuracy the final model's accuracy on the test set (NaN without one)
 * @param findings     the id of every finding the doctor opened, in its order
 */
public record DoctoredRun(double trainLoss, double testAccuracy, List<String> findings) {

    /**
     * @param config the config's YAML without its data section's training source: {@code TRAIN} in it is replaced by
     *               the CSV's {@code csv:} source (label column {@code label})
     */
    public static DoctoredRun train(Path dir, String name, Dataset data, String config) {
        return train(dir, name, data, null, config);
    }

    /** As above, with a test set too: {@code TEST} in the config is replaced by its {@code csv:} source. */
    public static DoctoredRun train(Path dir, String name, Dataset data, Dataset test, String config) {
        try {
            Path csv = dir.resolve(name + ".csv"), testCsv = dir.resolve(name + "-test.csv"), yaml = dir.resolve(name + ".yaml"), out = dir.resolve(name);
            writeCsv(csv, data);
            String text = config.replace("TRAIN", "\"csv:" + csv.toAbsolutePath() + "\"");
            if (test != null) {
                writeCsv(testCsv, test);
                text = text.replace("TEST", "\"csv:" + testCsv.toAbsolutePath() + "\"");
            }
            Files.writeString(yaml, text);
            TrainingRun.execute(new TrainingRun.Request(yaml, List.of(), out, name, dir, false), new PrintWriter(Writer.nullWriter()));
            JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
            List<String> ids = new ArrayList<>();
            for (JsonNode f : summary.path("findings")) ids.add(f.path("id").asText());
            return new DoctoredRun(number(summary, "train_loss"), number(summary, "test_accuracy"), List.copyOf(ids));
        } catch (IOException e) {
            throw new UncheckedIOException("lab run " + name + " in " + dir + ": " + e.getMessage(), e);
        }
    }

    private static double number(JsonNode summary, String field) {
        JsonNode v = summary.path(field);
        return v.isNumber() ? v.asDouble() : Double.NaN;
    }

    public boolean named(String findingId) {
        return findings.contains(findingId);
    }

    private static void writeCsv(Path csv, Dataset data) throws IOException {
        int f = data.sampleSize(), n = data.size();
        float[] x = data.features();
        int[] y = data.labels();
        StringBuilder sb = new StringBuilder(n * f * 6);
        for (int j = 0; j < f; j++) sb.append('p').append(j).append(',');
        sb.append("label\n");
        for (int s = 0; s < n; s++) {
            for (int j = 0; j < f; j++) sb.append(x[s * f + j]).append(',');
            sb.append(y[s]).append('\n');
        }
        Files.writeString(csv, sb);
    }
}
