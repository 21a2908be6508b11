package dev.ravine.data;

/**
 * A random change to the inputs of a training batch (noise, augmentation). The change is a function of the batch,
 * its epoch and the transform's seed only, so it is reproducible and a resumed run repeats it exactly.
 */
@FunctionalInterface
public interface BatchTransform {
    /** A new batch with changed inputs; {@code batch} itself is left as it is. */
    Batch apply(Batch batch, int epoch);
}
