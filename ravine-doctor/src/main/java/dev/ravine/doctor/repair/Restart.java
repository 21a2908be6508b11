package dev.ravine.doctor.repair;

import dev.ravine.doctor.finding.ConfigPatch;
import java.util.List;

/**
 * A repair the trainer's controls cannot make (clipping, another activation, standardized or shuffled inputs, a wider
 * net): the run starts again from step 0, in the same run folder, with the probe-winning change patched into its
 * config. The trainer is stopped at {@code action.step()}; the run's session then builds the patched config and trains
 * it ({@code action} is the repair event, rolled back to step 0).
 *
 * @param patches the change, as the config reader takes it ({@code --set path=value} each)
 */
public record Restart(RepairAction action, List<ConfigPatch> patches) {
    public Restart {
        if (patches.isEmpty()) throw new IllegalArgumentException("a restart needs a config change; " + action + " has none");
        patches = List.copyOf(patches);
    }

    /** The change as --set arguments. */
    public List<String> sets() {
        return patches.stream().map(ConfigPatch::setArgument).toList();
    }
}
