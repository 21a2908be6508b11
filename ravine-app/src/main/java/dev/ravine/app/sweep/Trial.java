package dev.ravine.app.sweep;

import java.nio.file.Path;
import java.util.Map;

/**
 * One trial of a sweep: a combination of grid values and a seed, trained into its own run folder under the sweep's
 * {@code trials/}.
 *
 * @param index 1-based, in the order the trials were planned
 */
public record Trial(int index, Map<String, String> combination, long seed, Path folder) {

    /** A folder name from the combination and seed that a file system accepts: "optimizer.lr=0.1_seed=2". */
    static String folderName(Map<String, String> combination, long seed) {
        StringBuilder b = new StringBuilder();
        combination.forEach((k, v) -> b.append(k).append('=').append(v).append('_'));
        b.append("seed=").append(seed);
        return b.toString().replaceAll("[^A-Za-z0-9._=+-]", "-");
    }
}
