package dev.ravine.app.run;

import dev.ravine.app.TextFormat;
import dev.ravine.app.build.BuiltModel;
import dev.ravine.app.build.LayerSummary;
import dev.ravine.app.build.RunData;
import dev.ravine.app.build.StepHooks;
import dev.ravine.app.config.RunConfig;
import dev.ravine.optim.Optimizer;
import dev.ravine.tensor.Shape;
import java.io.PrintWriter;

/** The lines printed before training: the model table (layer, output shape, parameters), optimizer, data, schedule. */
final class RunHeader {
    private RunHeader() {}

    static void print(PrintWriter out, RunConfig config, BuiltModel model, Optimizer optimizer, RunData data, int batches, int threads) {
        int nameWidth = 5;
        int kindWidth = 5;
        int shapeWidth = 12;
        for (LayerSummary row : model.summary()) {
            nameWidth = Math.max(nameWidth, row.name().length());
            kindWidth = Math.max(kindWidth, row.kind().length() + 2 * row.depth());
            shapeWidth = Math.max(shapeWidth, Shape.str(row.outputShape()).length());
        }
        String format = "  %-" + nameWidth + "s  %-" + kindWidth + "s  %-" + shapeWidth + "s  %12s%n";
        out.println("model (input " + Shape.str(model.inputShape()) + " per sample):");
        out.printf(format, "layer", "kind", "output shape", "parameters");
        for (LayerSummary row : model.summary()) {
            out.printf(format, row.name(), "  ".repeat(row.depth()) + row.kind(), Shape.str(row.outputShape()), TextFormat.count(row.parameters()));
        }
        out.printf(format, "", "total", "", TextFormat.count(model.parameterCount()));
        out.println("loss:      " + config.loss());
        out.println("optimizer: " + config.optimizer().name() + ": " + optimizer.describe());
        StringBuilder d = new StringBuilder("data:      train " + TextFormat.count(data.train().size()));
        d.append(data.validation() == null ? ", no validation set" : ", validation " + TextFormat.count(data.validation().size()));
        if (data.test() != null) d.append(", test ").append(TextFormat.count(data.test().size()));
        d.append(" samples of ").append(Shape.str(data.train().sampleShape()));
        if (data.numClasses() > 0) d.append(", ").append(data.numClasses()).append(" classes");
        d.append("; normalize ").append(config.data().normalize().id());
        out.println(d);
        String inStep = StepHooks.describe(config);
        if (inStep != null) out.println("per step:  " + inStep);
        var t = config.training();
        out.println("training:  " + t.epochs() + " epoch" + (t.epochs() == 1 ? "" : "s") + " of " + TextFormat.count(batches)
                + " batches of " + t.batchSize() + ", seed " + config.seed() + ", " + threads + " thread" + (threads == 1 ? "" : "s"));
        out.flush();
    }
}
