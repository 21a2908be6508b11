package dev.ravine.schedule;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * torch SequentialLR: schedule i (0-based) runs from milestone i-1 (0 for the first) on, restarted at its own tick 0:
 * lrAt(t) = schedules[k].lrAt(t - milestones[k-1]) where k = the number of milestones <= t. (torch restarts the
 * next scheduler with step(0), its closed form; the schedules here are closed forms throughout.)
 * The state of stateful parts is exposed as "k.name".
 */
public record Sequential(List<LrSchedule> schedules, long[] milestones) implements LrSchedule {
    public Sequential {
        schedules = List.copyOf(schedules);
        milestones = milestones.clone();
        LrSchedule.require(milestones.length == schedules.size() - 1, "sequential: needs one milestone fewer than schedules, got "
                + schedules.size() + " schedules and " + milestones.length + " milestones");
        for (int i = 1; i < milestones.length; i++) {
            LrSchedule.require(milestones[i] > milestones[i - 1], "sequential: milestones must increase, got " + Arrays.toString(milestones));
        }
        for (LrSchedule s : schedules) {
            LrSchedule.require(!(s instanceof ReduceOnPlateau), "sequential: reduce_on_plateau is driven by a metric and cannot be a part");
            LrSchedule.require(!s.cyclesMomentum(), "sequential: a part with cycle_momentum is not supported (" + s.describe()
                    + "); use that schedule on its own or set cycle_momentum: false");
        }
    }

    @Override
    public double lrAt(long t) {
        int k = 0;
        while (k < milestones.length && milestones[k] <= t) k++;
        return schedules.get(k).lrAt(k == 0 ? t : t - milestones[k - 1]);
    }

    @Override
    public Map<String, long[]> counters() {
        Map<String, long[]> out = new LinkedHashMap<>();
        for (int i = 0; i < schedules.size(); i++) {
            for (var e : schedules.get(i).counters().entrySet()) out.put(i + "." + e.getKey(), e.getValue());
        }
        return out;
    }

    @Override
    public String describe() {
        StringBuilder sb = new StringBuilder("sequential(");
        for (int i = 0; i < schedules.size(); i++) {
            if (i > 0) sb.append(", until ").append(milestones[i - 1]).append(" then ");
            sb.append(schedules.get(i).describe());
        }
        return sb.append(')').toString();
    }
}
