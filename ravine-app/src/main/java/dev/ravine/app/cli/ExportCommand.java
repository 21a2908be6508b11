package dev.ravine.app.cli;

import dev.ravine.app.ExitCode;
import dev.ravine.app.TextFormat;
import dev.ravine.app.Version;
import dev.ravine.app.run.FinalModel;
import dev.ravine.app.store.RunCheckpoint;
import dev.ravine.app.store.RunDirectory;
import dev.ravine.onnx.OnnxExport;
import dev.ravine.tensor.Shape;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import onnx.Onnx.ModelProto;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code ravine export RUN_DIR --out model.onnx}: the run's model (best.ckpt, else the newest checkpoint; it says
 * which) as an ONNX graph, in eval mode, with the run's normalizer as its first nodes so that it takes inputs as the
 * data files hold them (pixels 0..255); {@code --without-normalizer} leaves it out (the graph then takes normalized
 * inputs, as a PCA or whitening normalizer requires).
 */
@Command(name = "export", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Writes a run's model as ONNX (opset " + OnnxExport.OPSET + "), for ONNX Runtime and other engines:",
                "the best checkpoint (else the newest), the run's normalizer included."})
public final class ExportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    Main main;

    @Parameters(index = "0", paramLabel = "RUN_DIR|CHECKPOINT", description = "a run folder or a checkpoint file in RUN/checkpoints/")
    Path target;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "the .onnx file to write")
    Path out;

    @Option(names = "--newest", description = "use the newest rolling checkpoint instead of checkpoints/best.ckpt")
    boolean newest;

    @Option(names = "--without-normalizer", description = "leave the run's normalizer out: the graph takes normalized inputs")
    boolean withoutNormalizer;

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        RunDirectory run = RunDirectory.of(target);
        FinalModel model = FinalModel.load(run, main.workingDir(), RunCheckpoint.choose(run, target, newest, main.workingDir()));
        int[] input = model.model().inputShape();
        ModelProto proto = OnnxExport.model(model.model().network(), input, withoutNormalizer ? null : model.normalizer(),
                model.config().name(), Version.get());
        Path file = main.workingDir().resolve(out);
        try {
            OnnxExport.write(proto, file);
            o.println("weights: " + model.checkpoint().describe(main.workingDir()));
            o.println("onnx:    " + TextFormat.path(file, main.workingDir()) + " (" + TextFormat.count(Math.round(Files.size(file) / 1024.0))
                    + " KiB, opset " + OnnxExport.OPSET + ", " + proto.getGraph().getNodeCount() + " nodes)");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
        String normalized = withoutNormalizer || model.normalizer().kind() == dev.ravine.data.Normalizer.Kind.NONE
                ? "as the model takes it (normalize the data as normalizer.json does first)" : "raw, as the data files hold it; the "
                + model.normalizer().kind().id() + " normalizer is in the graph";
        o.println("input:   " + OnnxExport.INPUT + " [batch, " + Shape.str(input).substring(1) + " float, " + normalized);
        o.println("output:  " + OnnxExport.OUTPUT + " [batch, " + Shape.str(model.model().network().outputShape(input)).substring(1)
                + " (the model's outputs: logits for a classifier)");
        return ExitCode.OK;
    }
}
