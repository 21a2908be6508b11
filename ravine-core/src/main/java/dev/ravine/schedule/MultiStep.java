package dev.ravine.schedule;

import java.util.Arrays;

/** torch MultiStepLR: base_lr * gamma^(number of milestones <= t); a repeated milestone counts each time. */
public record MultiStep(double baseLr, long[] milestones, double gamma) implements LrSchedule {
    public MultiStep {
        milestones = milestones.clone();
        Arrays.sort(milestones);
    }

    @Override
    public double lrAt(long t) {
        int n = 0;
        for (long m : milestones) if (m <= t) n++;
        return baseLr * Math.pow(gamma, n);
    }

    @Override
    public String describe() {
        return "multistep(" + baseLr + ", milestones " + Arrays.toString(milestones) + ", gamma " + gamma + ")";
    }
}
