package dev.ravine.train;

/** How a run ended: all epochs done, the loss became NaN/Inf, or something asked it to stop. */
public enum TrainingStatus {
    COMPLETED, DIVERGED, STOPPED;

    public String configName() {
        return name().toLowerCase();
    }
}
