package dev.ravine.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

/** The end-to-end tests' small CSV data set: three Gaussian blobs in 5 dimensions, the label (0..2) in the last column. */
public final class BlobsCsv {
    private BlobsCsv() {}

    public static void write(Path file, int rows, long seed) throws Exception {
        Random r = new Random(seed);
        StringBuilder csv = new StringBuilder("a,b,c,d,e,label\n");
        for (int i = 0; i < rows; i++) {
            int label = i % 3;
            for (int d = 0; d < 5; d++) csv.append(String.format(Locale.ROOT, "%.4f,", 2.0 * ((label + d) % 3) + r.nextGaussian()));
            csv.append(label).append('\n');
        }
        Files.writeString(file, csv);
    }
}
