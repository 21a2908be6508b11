package dev.ravine.app.build;

/**
 * One row of the model table printed before training.
 *
 * @param name       the module's name in the network ("3", "2.block.0"), as in parameter names
 * @param depth      0 for a top-level layer, 1 inside a residual block, ...
 * @param kind       the module's kind ("linear", "batchnorm2d")
 * @param outputShape the shape of one sample after the layer
 * @param parameters trained values owned by the layer (for a residual block: its projection only)
 */
public record LayerSummary(String name, int depth, String kind, int[] outputShape, long parameters) {}
