package dev.ravine.nn;

import dev.ravine.tensor.Tensor;

/** Sees a module's input and output after each forward call (the doctor's activation instruments use it). */
@FunctionalInterface
public interface ForwardHook {
    void onForward(Module module, Tensor input, Tensor output);
}
