package dev.ravine.doctor.finding;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every remedy a detector can give, each with the config patches that make it (keys the config reader accepts:
 * {@code training.early_stopping}, {@code loss: {name: cross_entropy, weight: balanced}}, {@code data.sampler}, a
 * linear warm-up schedule, ...). Detectors take their remedies from here only, so {@link #catalog} is the whole set and
 * a test applies each of its patches to a config, reads it and trains a step. A remedy that needs to know the layer
 * list ({@link RunFacts#layerYaml}) or an option the run's optimizer lacks is left out (empty) rather than guessed.
 */
public final class Remedies {
    private Remedies() {}

    private static final Pattern OUT = Pattern.compile("\\bout: (\\d+)");
    private static final java.util.Set<String> WEIGHTED = java.util.Set.of("linear", "conv2d");
    private static final java.util.Set<String> ACTIVATIONS = java.util.Set.of("relu", "leaky_relu", "elu", "gelu", "sigmoid", "tanh", "softplus");
    private static final java.util.Set<String> NORMS = java.util.Set.of("batchnorm", "batchrenorm", "layernorm", "groupnorm", "instancenorm");

    /** Every remedy the detectors can give for a run with these facts, in no particular order. */
    public static List<Remedy> catalog(RunFacts facts) {
        List<Remedy> all = new ArrayList<>();
        all.add(learningRate(facts, facts.learningRate() / 3, "a smaller step"));
        all.add(learningRate(facts, facts.learningRate() * 10, "a larger step"));
        all.add(learningRate(facts, facts.learningRate() * 3, "a larger step"));
        all.add(learningRate(facts, facts.learningRate() / 10, "a much smaller step"));
        all.add(clipGlobalNorm(1.0, "clipping bounds each step"));
        all.add(warmup(100, "a rising learning rate"));
        adam(facts, "per-parameter steps").ifPresent(all::add);
        momentum(facts, "momentum").ifPresent(all::add);
        eps(facts, "1e-8 -> 1e-6", "a larger eps").ifPresent(all::add);
        amsgrad(facts, "AMSGrad").ifPresent(all::add);
        weightDecay(facts, "L2").ifPresent(all::add);
        standardize(facts, "standardized inputs").ifPresent(all::add);
        all.add(shuffle());
        all.add(classWeights());
        all.add(balancedSampler());
        all.add(earlyStopping(3, "early stopping"));
        augment(facts).ifPresent(all::add);
        all.add(smallerBatch(16, "noise"));
        all.add(overfitSubset(100));
        all.add(warmRestarts());
        for (int i = 0; i < facts.layerKinds().size(); i++) {
            String k = facts.layerKinds().get(i);
            if (k.equals("sigmoid") || k.equals("tanh")) all.add(activation(i, k, "relu", "ReLU"));
            if (k.equals("relu")) all.add(activation(i, k, "leaky_relu", "leaky"));
            if (k.equals("rnn")) gatedCell(facts, i).ifPresent(all::add);
            if (k.equals("lstm")) all.add(forgetBias(i));
            if (k.equals("relu")) batchnormBefore(facts, i, "normalized").ifPresent(all::add);
        }
        saturatingToRelu(facts, "ReLU").ifPresent(all::add);
        batchnormAfterWeighted(facts, "normalization").ifPresent(all::add);
        initializationFitting(facts, "variance-preserving").ifPresent(all::add);
        dropoutAfterHidden(facts, "dropout").ifPresent(all::add);
        wider(facts, 2, "wider").ifPresent(all::add);
        widerAtLeast(facts, 4, 64, "wider, at least 64").ifPresent(all::add);
        deeper(facts).ifPresent(all::add);
        return all;
    }

    public static Remedy learningRate(RunFacts facts, double to, String why) {
        return learningRate(facts.learningRate(), to, why);
    }

    public static Remedy learningRate(double from, double to, String why) {
        return new Remedy("optimizer.lr: " + fmt(from) + " -> " + fmt(to), why, List.of(new ConfigPatch("optimizer.lr", number(to))));
    }

    /** Clipping replaces any clip the run had: the config takes exactly one of value, global_norm and layer_norm. */
    public static Remedy clipGlobalNorm(double norm, String why) {
        return new Remedy("clip.global_norm: " + fmt(norm), why, List.of(new ConfigPatch("clip", "{global_norm: " + number(norm) + "}")));
    }

    /** A linear warm-up from 1% of the learning rate over {@code steps} steps (torch's LinearLR, ticked per step). */
    public static Remedy warmup(long steps, String why) {
        return new Remedy("schedule: linear warm-up over " + steps + " steps", why,
                List.of(new ConfigPatch("schedule", "{name: linear, start_factor: 0.01, total_iters: " + steps + ", interval: step}")));
    }

    /** Adam at its default rate: the whole optimizer is replaced, since Adam refuses SGD's options (momentum, nesterov). */
    public static Optional<Remedy> adam(RunFacts facts, String why) {
        if (facts != null && "adam".equalsIgnoreCase(facts.optimizer())) return Optional.empty();
        return Optional.of(new Remedy("optimizer.name: adam", why, List.of(new ConfigPatch("optimizer", "{name: adam, lr: 0.001}"))));
    }

    public static Optional<Remedy> momentum(RunFacts facts, String why) {
        if (!OptimizerKind.hasOption(facts.optimizer(), "momentum")) return Optional.empty();
        return Optional.of(new Remedy("optimizer.momentum: 0.9", why, List.of(new ConfigPatch("optimizer.momentum", "0.9"))));
    }

    public static Optional<Remedy> eps(RunFacts facts, String change, String why) {
        if (!OptimizerKind.hasOption(facts.optimizer(), "eps")) return Optional.empty();
        String to = number(Double.parseDouble(change.substring(change.indexOf("-> ") + 3).trim()));
        return Optional.of(new Remedy("optimizer.eps: " + change, why, List.of(new ConfigPatch("optimizer.eps", to))));
    }

    public static Optional<Remedy> amsgrad(RunFacts facts, String why) {
        if (!OptimizerKind.hasOption(facts.optimizer(), "amsgrad")) return Optional.empty();
        return Optional.of(new Remedy("optimizer.amsgrad: true", why, List.of(new ConfigPatch("optimizer.amsgrad", "true"))));
    }

    public static Optional<Remedy> weightDecay(RunFacts facts, String why) {
        if (!OptimizerKind.hasOption(facts.optimizer(), "weight_decay")) return Optional.empty();
        return Optional.of(new Remedy("optimizer.weight_decay: 1e-4", why, List.of(new ConfigPatch("optimizer.weight_decay", "1.0e-4"))));
    }

    /** Standardized inputs, except for a model that reads token ids (an embedding layer; the config reader refuses that). */
    public static Optional<Remedy> standardize(RunFacts facts, String why) {
        if (facts != null && facts.layerKinds().contains("embedding")) return Optional.empty();
        if (facts != null && facts.inputsStandardized()) return Optional.empty(); // the data check found them standardized already
        return Optional.of(new Remedy("data.normalize: standardize", why, List.of(new ConfigPatch("data.normalize", "standardize"))));
    }

    public static Remedy shuffle() {
        return new Remedy("data.shuffle: true", "a fresh random order each epoch mixes the classes in every batch",
                List.of(new ConfigPatch("data.shuffle", "true")));
    }

    public static Remedy classWeights() {
        return new Remedy("loss.weight: balanced", "each class then weighs the same in the loss (n / (classes * count) per class)",
                List.of(new ConfigPatch("loss", "{name: cross_entropy, weight: balanced}")));
    }

    public static Remedy balancedSampler() {
        return new Remedy("data.sampler: balanced", "drawing by class with replacement shows a rare class as often as a common one",
                List.of(new ConfigPatch("data.sampler", "balanced")));
    }

    /**
     * Words only: labels that carry no information about the inputs are a data problem no config key fixes. The one
     * remedy without a patch, so it is not in {@link #catalog}, whose every entry applies and trains.
     */
    public static Remedy checkLabels() {
        return new Remedy("check the labels against the inputs (the label column, the row order of any join)",
                "labels independent of the inputs cannot be learnt, and no config change fixes the data");
    }

    public static Remedy earlyStopping(int patience, String why) {
        return new Remedy("training.early_stopping: {monitor: val_loss, patience: " + patience + "}", why,
                List.of(new ConfigPatch("training.early_stopping", "{monitor: val_loss, patience: " + patience + ", restore_best: true}")));
    }

    /** Image augmentation, for a model that reads images (its first layer a flatten or a conv2d); nothing for tables or sequences. */
    public static Optional<Remedy> augment(RunFacts facts) {
        List<String> kinds = facts.layerKinds();
        if (kinds.isEmpty() || !(kinds.getFirst().equals("flatten") || kinds.getFirst().equals("conv2d"))) return Optional.empty();
        return Optional.of(new Remedy("data.augment: {shift: 2, rotate: 10}", "augmentation shows the model more variations of each sample",
                List.of(new ConfigPatch("data.augment", "{shift: 2, rotate: 10}"))));
    }

    public static Remedy smallerBatch(int size, String why) {
        return new Remedy("training.batch_size: " + size, why, List.of(new ConfigPatch("training.batch_size", Integer.toString(size))));
    }

    /** Note 004's test: a model and pipeline that work can drive the loss on 100 samples to near zero. */
    public static Remedy overfitSubset(int samples) {
        return new Remedy("data.train_subset: " + samples + " (can the model overfit " + samples + " samples?)",
                "note 004: if it cannot, the problem is the model or the data pipeline",
                List.of(new ConfigPatch("data.train_subset", Integer.toString(samples))));
    }

    public static Remedy warmRestarts() {
        return new Remedy("schedule: cosine warm restarts every 2 epochs", "each restart's large rate can leave the basin for another",
                List.of(new ConfigPatch("schedule", "{name: cosine_warm_restarts, t_0: 2}")));
    }

    /** Every sigmoid and tanh layer a ReLU (one change: the nonlinearity of the whole net); empty when there is none. */
    public static Optional<Remedy> saturatingToRelu(RunFacts facts, String why) {
        List<ConfigPatch> patches = new ArrayList<>();
        List<String> at = new ArrayList<>();
        for (int i = 0; i < facts.layerKinds().size(); i++) {
            String k = facts.layerKinds().get(i);
            if (!k.equals("sigmoid") && !k.equals("tanh")) continue;
            patches.add(new ConfigPatch("model.layers[" + i + "]", "relu"));
            at.add(Integer.toString(i));
        }
        if (patches.size() < 2) return Optional.empty(); // one layer: activation(...) says it
        return Optional.of(new Remedy("model.layers[" + String.join(", ", at) + "]: sigmoid/tanh -> relu", why, patches));
    }

    public static Remedy activation(int layer, String from, String to, String why) {
        return new Remedy("model.layers[" + layer + "]: " + from + " -> " + to, why, List.of(new ConfigPatch("model.layers[" + layer + "]", to)));
    }

    /** The layer's options kept, its cell a GRU (rnn, lstm and gru take the same options but forget_bias). */
    public static Optional<Remedy> gatedCell(RunFacts facts, int layer) {
        String yaml = facts.layerYaml().get(layer);
        if (!yaml.startsWith("rnn: ")) return Optional.empty();
        return Optional.of(new Remedy("model.layers[" + layer + "]: rnn -> gru (or lstm)",
                "gated cells carry the state additively through their gates, so the gradient along it need not shrink",
                List.of(new ConfigPatch("model.layers[" + layer + "]", "{gru: " + yaml.substring("rnn: ".length()) + "}"))));
    }

    public static Remedy forgetBias(int layer) {
        return new Remedy("model.layers[" + layer + "].lstm.forget_bias: 1.0",
                "a forget gate that starts open keeps the cell state, and its gradient, alive over more steps",
                List.of(new ConfigPatch("model.layers[" + layer + "].lstm.forget_bias", "1.0")));
    }

    /** batchnorm after every linear/conv layer but the output one (and those already followed by a norm). */
    public static Optional<Remedy> batchnormAfterWeighted(RunFacts facts, String why) {
        List<String> kinds = facts.layerKinds();
        int output = lastWeighted(kinds);
        return insertedAfter(facts, i -> WEIGHTED.contains(kinds.get(i)) && i != output && !(i + 1 < kinds.size() && NORMS.contains(kinds.get(i + 1))),
                "batchnorm").map(p -> new Remedy("add batchnorm after each hidden linear/conv layer", why, List.of(p)));
    }

    public static Optional<Remedy> batchnormBefore(RunFacts facts, int layer, String why) {
        if (!layersKnown(facts) || layer > 0 && NORMS.contains(facts.layerKinds().get(layer - 1))) return Optional.empty();
        List<String> out = new ArrayList<>(facts.layerYaml());
        out.add(layer, "batchnorm");
        return Optional.of(new Remedy("add batchnorm before model.layers[" + layer + "] (" + facts.layerKinds().get(layer) + ")", why, List.of(layers(out))));
    }

    /**
     * He initialization for each linear/conv layer followed by a ReLU-like activation, Xavier for the others: the
     * variance-preserving choice for the nonlinearity that follows. Linear and conv layers are always written with
     * options (out is required), so the path model.layers[i].linear.init exists.
     */
    public static Optional<Remedy> initializationFitting(RunFacts facts, String why) {
        List<String> kinds = facts.layerKinds();
        List<ConfigPatch> patches = new ArrayList<>();
        List<String> words = new ArrayList<>();
        for (int i = 0; i < kinds.size(); i++) {
            if (!WEIGHTED.contains(kinds.get(i))) continue;
            String next = nextActivation(kinds, i);
            String init = next == null || next.equals("sigmoid") || next.equals("tanh") || next.equals("softplus") ? "xavier_normal" : "he_normal";
            patches.add(new ConfigPatch("model.layers[" + i + "]." + kinds.get(i) + ".init", init));
            words.add("[" + i + "] " + init);
        }
        if (patches.isEmpty()) return Optional.empty();
        return Optional.of(new Remedy("init: he_normal before ReLU, xavier_normal before sigmoid/tanh (" + String.join(", ", words) + ")", why, patches));
    }

    /** dropout (p 0.3) after every hidden activation, i.e. one a linear/conv layer follows. */
    public static Optional<Remedy> dropoutAfterHidden(RunFacts facts, String why) {
        List<String> kinds = facts.layerKinds();
        int output = lastWeighted(kinds);
        return insertedAfter(facts, i -> ACTIVATIONS.contains(kinds.get(i)) && i < output && !kinds.get(i + 1).equals("dropout"), "{dropout: {p: 0.3}}")
                .map(p -> new Remedy("add dropout (p 0.3) after each hidden activation", why, List.of(p)));
    }

    /** The layer list with {@code layer} after each index {@code where} holds; empty if none does or the layers are not known. */
    private static Optional<ConfigPatch> insertedAfter(RunFacts facts, java.util.function.IntPredicate where, String layer) {
        if (!layersKnown(facts)) return Optional.empty();
        List<String> out = new ArrayList<>();
        boolean added = false;
        for (int i = 0; i < facts.layerKinds().size(); i++) {
            out.add(facts.layerYaml().get(i));
            if (where.test(i)) {
                out.add(layer);
                added = true;
            }
        }
        return added ? Optional.of(layers(out)) : Optional.empty();
    }

    /** Every hidden linear layer {@code factor} times wider (out), the output layer kept. */
    public static Optional<Remedy> wider(RunFacts facts, int factor, String why) {
        List<String> kinds = facts.layerKinds();
        int output = lastWeighted(kinds);
        List<ConfigPatch> patches = new ArrayList<>();
        for (int i = 0; i < kinds.size(); i++) {
            if (!kinds.get(i).equals("linear") || i == output) continue;
            Matcher m = OUT.matcher(facts.layerYaml().get(i));
            if (!m.find()) continue;
            patches.add(new ConfigPatch("model.layers[" + i + "].linear.out", Integer.toString(Integer.parseInt(m.group(1)) * factor)));
        }
        if (patches.isEmpty()) return Optional.empty();
        return Optional.of(new Remedy("wider hidden layers (" + factor + "x units)", why, patches));
    }

    /**
     * Every hidden linear layer and recurrent cell {@code factor}x as wide and at least {@code minWidth} units (what the
     * end-of-run model-bias reference trained): a layer of 2 units made 8 is hardly a bigger model.
     */
    public static Optional<Remedy> widerAtLeast(RunFacts facts, int factor, int minWidth, String why) {
        List<String> kinds = facts.layerKinds();
        int output = lastWeighted(kinds);
        List<ConfigPatch> patches = new ArrayList<>();
        for (int i = 0; i < kinds.size(); i++) {
            String kind = kinds.get(i);
            boolean recurrent = RECURRENT.contains(kind);
            if (!(kind.equals("linear") && i != output) && !recurrent) continue;
            Matcher m = (recurrent ? HIDDEN : OUT).matcher(facts.layerYaml().get(i));
            if (!m.find()) continue;
            int width = Math.max(minWidth, Integer.parseInt(m.group(1)) * factor);
            patches.add(new ConfigPatch("model.layers[" + i + "]." + kind + (recurrent ? ".hidden" : ".out"), Integer.toString(width)));
        }
        if (patches.isEmpty()) return Optional.empty();
        return Optional.of(new Remedy("wider hidden layers (" + factor + "x units, at least " + minWidth + ")", why, patches));
    }

    private static final Pattern HIDDEN = Pattern.compile("\\bhidden: (\\d+)");
    private static final java.util.Set<String> RECURRENT = java.util.Set.of("rnn", "lstm", "gru");

    /** One more hidden linear + ReLU before the output layer, as wide as the widest hidden layer (64 if none). */
    public static Optional<Remedy> deeper(RunFacts facts) {
        if (!layersKnown(facts)) return Optional.empty();
        List<String> kinds = facts.layerKinds();
        int output = lastWeighted(kinds);
        if (output < 0 || !kinds.get(output).equals("linear")) return Optional.empty();
        int width = 64;
        for (int i = 0; i < output; i++) {
            Matcher m = OUT.matcher(facts.layerYaml().get(i));
            if (kinds.get(i).equals("linear") && m.find()) width = Math.max(width, Integer.parseInt(m.group(1)));
        }
        List<String> out = new ArrayList<>(facts.layerYaml());
        out.add(output, "relu");
        out.add(output, "{linear: {out: " + width + "}}");
        return Optional.of(new Remedy("add a hidden layer (linear " + width + " + relu) before the output layer",
                "a deeper function class can bend the decision boundary", List.of(layers(out))));
    }

    private static ConfigPatch layers(List<String> yaml) {
        List<String> items = yaml.stream().map(y -> y.contains(": ") && !y.startsWith("{") ? "{" + y + "}" : y).toList();
        return new ConfigPatch("model.layers", "[" + String.join(", ", items) + "]");
    }

    /** Whether the facts hold each layer's YAML, not only its kind (a weighted layer's bare kind lacks its out). */
    private static boolean layersKnown(RunFacts facts) {
        for (int i = 0; i < facts.layerKinds().size(); i++) {
            if (facts.layerYaml().get(i).equals(facts.layerKinds().get(i)) && !ACTIVATIONS.contains(facts.layerKinds().get(i))
                    && !NORMS.contains(facts.layerKinds().get(i)) && !facts.layerKinds().get(i).equals("flatten")
                    && !facts.layerKinds().get(i).equals("dropout") && !facts.layerKinds().get(i).equals("softmax")) {
                return false;
            }
        }
        return !facts.layerKinds().isEmpty();
    }

    private static int lastWeighted(List<String> kinds) {
        for (int i = kinds.size() - 1; i >= 0; i--) if (WEIGHTED.contains(kinds.get(i))) return i;
        return -1;
    }

    private static String nextActivation(List<String> kinds, int from) {
        for (int i = from + 1; i < kinds.size(); i++) {
            if (ACTIVATIONS.contains(kinds.get(i))) return kinds.get(i);
            if (WEIGHTED.contains(kinds.get(i))) return null;
        }
        return null;
    }

    private static String fmt(double v) {
        return dev.ravine.doctor.detect.Readings.fmt(v);
    }

    /** A number as YAML reads it back: four significant digits, exponents with a dot (1.0e-6, as the config writer). */
    private static String number(double v) {
        double rounded = new java.math.BigDecimal(v).round(new java.math.MathContext(4)).doubleValue();
        String s = Double.toString(rounded);
        int e = s.indexOf('E');
        return e < 0 ? s : s.substring(0, e) + "e" + s.substring(e + 1);
    }
}
