package dev.ravine.app.config;

import dev.ravine.data.Normalizer;
import dev.ravine.init.Initializer;
import dev.ravine.io.InvalidUtf8;
import dev.ravine.io.IoProblem;
import dev.ravine.nn.loss.Loss;
import dev.ravine.optim.OptimizerOption;
import dev.ravine.optim.OptimizerSchema;
import dev.ravine.optim.OptionException;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a run configuration: YAML text to a {@link ConfigNode} tree with line numbers, {@code --set} overrides applied
 * to the tree, then the tree checked against the schema and turned into records with every default filled in.
 * Relative data paths resolve against the config file's folder (those given with --set, against the working
 * directory). Every problem found is reported together in one {@link ConfigException}.
 *
 * <p>The schema (defaults in parentheses):
 * <pre>
 * seed (0)
 * data: train (required), validation, test, validation_split (0), label (csv only), normalize (none), shuffle (true),
 *       train_subset (all), augment (none; see {@link AugmentConfig}), sampler (random | balanced)
 * model: input (from the data), layers (required; see {@link LayerKind})
 * loss (cross_entropy): a name, or a mapping with torch's options (see {@link LossConfig})
 * optimizer: name (required: one of OptimizerConfig.NAMES), and torch.optim's options and defaults for it
 * training: epochs (10), batch_size (64), checkpoint_every (0), drop_last (false), threads (all processors),
 *           keep_checkpoints (2), early_stopping (off; see {@link EarlyStoppingConfig})
 * clip, regularization, param_groups (none; see {@link ToolboxConfig})
 * schedule (none): name (see {@link ScheduleConfig}), torch.optim.lr_scheduler's options, interval (epoch | step)
 * doctor: enabled (true), every (10), repair (false), max_repairs (3) (see {@link DoctorConfig})
 * adversarial (none; see {@link AdversarialConfig})
 * pretrain (none): method (rbm), cd_k, persistent, epochs, lr, momentum, weight_decay, batch_size, visible (see {@link PretrainConfig})
 * </pre>
 */
public final class ConfigReader {
    static final List<String> TOP_KEYS = List.of("seed", "data", "model", "loss", "optimizer", "training", "schedule", "clip",
            "regularization", "param_groups", "doctor", "adversarial", "pretrain");
    static final List<String> DATA_KEYS = List.of("train", "validation", "test", "validation_split", "label", "normalize", "shuffle",
            "train_subset", "augment", "whiten_epsilon", "sampler");
    static final List<String> MODEL_KEYS = List.of("input", "layers");
    static final List<String> TRAINING_KEYS = List.of("epochs", "batch_size", "checkpoint_every", "drop_last", "threads", "keep_checkpoints",
            "early_stopping");
    static final List<String> NORMALIZE_NAMES = List.of("none", "scale01", "standardize", "pca", "pca_whiten", "zca_whiten");

    /** ForkJoinPool's limit on parallelism. */
    static final int MAX_THREADS = 0x7fff;

    private final Path configDir;
    private final Path workingDir;
    private final Problems problems = new Problems();

    private ConfigReader(Path configDir, Path workingDir) {
        this.configDir = configDir;
        this.workingDir = workingDir;
    }

    private static String whereNotUtf8(Path file) {
        try {
            InvalidUtf8 bad = InvalidUtf8.locate(file);
            return bad == null ? "" : " at " + bad.describe();
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * Reads {@code file}, applying {@code overrides} ("key.path=value").
     *
     * @param workingDir where --set paths resolve, and how the file is named in messages (relative to it)
     */
    public static RunConfig read(Path file, List<String> overrides, Path workingDir) {
        String shown = displayName(file, workingDir);
        String text;
        try {
            YamlLimits.requireFileSize(file, shown);
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ConfigException("config file " + shown + " does not exist; check the path (see examples/ for configs)");
        } catch (MalformedInputException e) {
            throw new ConfigException("config file " + shown + " is not UTF-8 text" + whereNotUtf8(file) + "; is it a YAML file?");
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + shown + ": " + IoProblem.describe(e));
        }
        ConfigNode root = YamlTree.parseDocument(text, shown);
        if (!(root instanceof ConfigNode.Mapping mapping)) {
            throw new ConfigException(shown + " must be a mapping of sections (seed, data, model, loss, optimizer, training), "
                    + "but it is " + root.describe() + " (" + root.origin().describe() + ")");
        }
        Overrides.apply(mapping, overrides);
        Path dir = file.toAbsolutePath().getParent();
        return new ConfigReader(dir, workingDir.toAbsolutePath()).interpret(mapping, file);
    }

    static String displayName(Path file, Path workingDir) {
        Path abs = file.toAbsolutePath().normalize();
        Path wd = workingDir.toAbsolutePath().normalize();
        return abs.startsWith(wd) ? wd.relativize(abs).toString() : abs.toString();
    }

    private RunConfig interpret(ConfigNode.Mapping root, Path file) {
        Section top = new Section(root, "", problems);
        top.allowOnly(TOP_KEYS);
        long seed = top.longValue("seed", 0L);

        DataConfig data = null;
        Section dataSection = top.section("data");
        if (dataSection != null) data = data(dataSection);
        else if (!top.has("data")) top.missing("data", "the data to train on, e.g. 'data: {train: idx:data/mnist-10k/train}'");

        ModelConfig model = null;
        Section modelSection = top.section("model");
        if (modelSection != null) model = model(modelSection);
        else if (!top.has("model")) top.missing("model", "the network, e.g. 'model: {layers: [flatten, {linear: {out: 10}}]}'");

        LossConfig lossOptions = LossConfig.read(top);
        String loss = lossOptions == null ? null : lossOptions.name();
        OptimizerConfig optimizer = optimizer(top);
        Section trainingSection = top.section("training");
        TrainingConfig training = trainingSection != null ? training(trainingSection)
                : new TrainingConfig(10, 64, 0, false, null, 2, root.origin());

        if (data != null && data.label() != null && data.train().format() != DataSource.Format.CSV) {
            top.problems().add("data.label", "is the label column of a csv: source, but data.train is " + data.train().format().id()
                    + "; remove it", data.origin());
        }
        ScheduleConfig schedule = ScheduleConfig.read(top, optimizer);
        ToolboxConfig toolbox = ToolboxConfig.read(top, optimizer);
        AdversarialConfig adversarial = AdversarialConfig.read(top);
        if (schedule != null && schedule.setting().name().equals("reduce_on_plateau") && !toolbox.groups().isEmpty()) {
            problems.add("schedule", "reduce_on_plateau cannot be combined with param_groups yet; use another schedule or remove "
                    + "param_groups", root.origin());
        }
        if (optimizer != null && OptimizerConfig.schema(optimizer.name()).closureMethod()) closureOptimizerLimits(optimizer.name(), schedule, toolbox, root.origin());
        if (model != null && data != null && data.normalize() != Normalizer.Kind.NONE
                && model.readsTokenIds()) {
            dataSection.problem("normalize", "the model has an embedding layer, which reads whole-number token ids; normalizing "
                    + "would turn them into other numbers; use normalize: none");
        }
        PretrainConfig pretrain = PretrainConfig.read(top);
        DoctorConfig doctor = DoctorConfig.read(top); // before the check, so a bad doctor key is reported too
        problems.throwIfAny();
        String fileName = file.getFileName().toString();
        String name = fileName.replaceFirst("\\.(ya?ml)$", "");
        return new RunConfig(name, file.toAbsolutePath(), seed, data, model, loss, optimizer, training, schedule, toolbox, doctor,
                adversarial, pretrain, lossOptions);
    }

    /**
     * A closure method (L-BFGS) finds its own step lengths inside a step (several loss evaluations), so the chain-based parts of the
     * toolbox, which act on one gradient per step, do not apply to it; torch users would not combine them either.
     */
    private void closureOptimizerLimits(String name, ScheduleConfig schedule, ToolboxConfig toolbox, Origin origin) {
        if (schedule != null) {
            problems.add("schedule", name + " chooses its step lengths itself (lr, line_search_fn); remove the schedule", origin);
        }
        if (toolbox.clipKind() != null) {
            problems.add("clip", name + " evaluates the loss several times per step, so gradient clipping does not apply; remove clip", origin);
        }
        if (!toolbox.groups().isEmpty()) {
            problems.add("param_groups", name + " has one learning rate for all parameters; remove param_groups", origin);
        }
    }

    // ------------------------------------------------------------------ data

    private DataConfig data(Section s) {
        s.allowOnly(DATA_KEYS);
        DataSource train = source(s, "train");
        if (train == null && !s.has("train")) {
            s.missing("train", "the training data, e.g. 'train: idx:data/mnist-10k/train' or 'train: csv:data/table.csv'");
        }
        DataSource validation = source(s, "validation");
        DataSource test = source(s, "test");
        double split = s.number("validation_split", 0.0, v -> v >= 0 && v < 1, "a fraction in [0, 1)");
        if (validation != null && s.has("validation_split") && split > 0) {
            s.problem("validation_split", "give either data.validation (a separate set) or data.validation_split (a part of "
                    + "data.train), not both");
        }
        String label = s.string("label", null);
        boolean usesCsv = java.util.stream.Stream.of(train, validation, test)
                .anyMatch(d -> d != null && d.format() == DataSource.Format.CSV);
        if (usesCsv && label == null) {
            s.missing("label", "csv: sources need the name of their label column, e.g. 'label: price'");
        }
        String normalize = s.choice("normalize", "none", NORMALIZE_NAMES, "normalization");
        double whitenEpsilon = s.number("whiten_epsilon", Normalizer.DEFAULT_WHITEN_EPSILON, v -> v >= 0 && Double.isFinite(v),
                "a number >= 0 (a fraction of the mean feature variance)");
        if (s.has("whiten_epsilon") && normalize != null && !normalize.endsWith("_whiten")) {
            s.problem("whiten_epsilon", "applies to normalize: pca_whiten or zca_whiten only, but normalize is " + normalize
                    + "; remove it or choose a whitening");
        }
        boolean shuffle = s.bool("shuffle", true);
        String sampler = s.choice("sampler", "random", DataConfig.SAMPLERS, "sampler");
        Integer subset = s.integer("train_subset", null, 1);
        Section augment = s.section("augment");
        if (augment != null && normalize != null && Normalizer.Kind.parse(normalize).usesMatrix()) {
            // augmentation shifts and turns the normalized images; after a PCA transform they are no longer images
            s.problem("augment", "shifts and turns images after normalization, but normalize: " + normalize + " mixes all pixels "
                    + "of a sample, so the result is no longer an image with a background to pad with; use standardize or "
                    + "scale01 with augment");
        }
        return new DataConfig(train, validation, test, split, label, Normalizer.Kind.parse(normalize), shuffle, s.origin(), subset,
                augment == null ? null : AugmentConfig.read(augment), whitenEpsilon, sampler);
    }

    private DataSource source(Section s, String key) {
        String text = s.string(key, null);
        if (text == null) return null;
        Origin origin = s.originOf(key);
        try {
            return DataSource.parse(text, origin.fromCommandLine() ? workingDir : configDir);
        } catch (IllegalArgumentException e) {
            s.problem(key, e.getMessage());
            return null;
        }
    }

    // ------------------------------------------------------------------ model

    private ModelConfig model(Section s) {
        s.allowOnly(MODEL_KEYS);
        int[] input = s.integers("input", 1);
        if (input != null && (input.length == 0 || input.length > 3)) {
            s.problem("input", "expected the shape of one sample with 1 to 3 sizes, e.g. [784] or [1, 28, 28], got "
                    + input.length + " sizes");
            input = null;
        }
        List<ConfigNode> items = s.list("layers");
        List<LayerConfig> layers = new ArrayList<>();
        if (items == null) {
            if (!s.has("layers")) s.missing("layers", "the list of layers, e.g. [flatten, {linear: {out: 10}}]");
        } else if (items.isEmpty()) {
            s.problem("layers", "the model has no layers; list at least one");
        } else {
            layers = layers(items, s.pathOf("layers"));
        }
        return new ModelConfig(input, layers, s.origin());
    }

    private List<LayerConfig> layers(List<ConfigNode> items, String path) {
        List<LayerConfig> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            LayerConfig layer = layer(items.get(i), path + "[" + i + "]");
            if (layer != null) out.add(layer);
        }
        return out;
    }

    /** A layer is written as a name ("relu") or as a one-key mapping from the name to its options. */
    private LayerConfig layer(ConfigNode node, String path) {
        String id;
        ConfigNode.Mapping optionNode = null;
        Origin idOrigin = node.origin();
        if (node instanceof ConfigNode.Scalar s && !s.isNull()) {
            id = s.text();
        } else if (node instanceof ConfigNode.Mapping m && m.entries().size() == 1) {
            var e = m.entries().entrySet().iterator().next();
            id = e.getKey();
            idOrigin = e.getValue().keyOrigin();
            ConfigNode value = e.getValue().value();
            if (value instanceof ConfigNode.Mapping om) {
                optionNode = om;
            } else if (!(value instanceof ConfigNode.Scalar sv && sv.isNull())) {
                problems.add(path, "the options of layer '" + id + "' must be a mapping such as {out: 10}, got " + value.describe(),
                        value.origin());
                return null;
            }
        } else {
            problems.add(path, "expected a layer name (e.g. relu) or a layer with options (e.g. linear: {out: 10}), got "
                    + node.describe() + (node instanceof ConfigNode.Mapping m ? " with " + m.entries().size() + " keys "
                    + m.entries().keySet() : ""), node.origin());
            return null;
        }
        LayerKind kind = LayerKind.byId(id);
        if (kind == null) {
            problems.add(path, "unknown layer '" + id + "';" + NameSuggestion.hint(id, LayerKind.ids()) + " valid layers: "
                    + String.join(", ", LayerKind.ids()), idOrigin);
            return null;
        }
        ConfigNode.Mapping opts = optionNode != null ? optionNode
                : new ConfigNode.Mapping(new LinkedHashMap<>(), idOrigin);
        Section s = new Section(opts, path + "." + id, problems);
        List<String> valid = kind.optionNames();
        if (valid.isEmpty() && !opts.entries().isEmpty()) {
            problems.add(path, "layer '" + id + "' takes no options, got " + opts.entries().keySet(), opts.origin());
        } else {
            s.allowOnly(valid);
        }
        Map<String, Object> values = new LinkedHashMap<>();
        List<LayerConfig> nested = List.of();
        for (LayerKind.Option o : kind.options()) {
            if (o.required() && !s.has(o.name())) {
                problems.add(path + " (" + id + ")", "missing required option '" + o.name() + "'; e.g. "
                        + example(kind), idOrigin);
                continue;
            }
            switch (o.type()) {
                case INT -> values.put(o.name(), s.integer(o.name(), (Integer) o.fallback(), o.min()));
                case PADDING -> values.put(o.name(), "same".equals(s.string(o.name(), null)) ? "same"
                        : s.integerOr(o.name(), (Integer) o.fallback(), 0, "an integer >= 0 or same"));
                case NUMBER -> values.put(o.name(), s.number(o.name(), (Double) o.fallback(), o.valid(), o.rule()));
                case BOOL -> values.put(o.name(), s.bool(o.name(), (Boolean) o.fallback()));
                case INITIALIZER -> values.put(o.name(), s.choice(o.name(), (String) o.fallback(),
                        Initializer.named().keySet(), "initializer"));
                case LAYERS -> {
                    List<ConfigNode> items = s.list(o.name());
                    if (items != null && items.isEmpty()) s.problem(o.name(), "a residual block needs at least one layer");
                    else if (items != null) nested = layers(items, s.pathOf(o.name()));
                }
            }
        }
        return new LayerConfig(kind, values, nested, path, idOrigin);
    }

    private static String example(LayerKind kind) {
        return switch (kind) {
            case LINEAR -> "'- linear: {out: 10}'";
            case CONV2D -> "'- conv2d: {out: 32, kernel: 3, padding: 1}'";
            case MAXPOOL, AVGPOOL -> "'- " + kind.id() + ": {kernel: 2}'";
            case GROUPNORM -> "'- groupnorm: {groups: 8}'";
            case EMBEDDING -> "'- embedding: {num_embeddings: 100, dim: 16}'";
            case ATTENTION, TRANSFORMER -> "'- " + kind.id() + ": {heads: 2}'";
            case RESIDUAL -> "'- residual: {layers: [{linear: {out: 64}}, relu]}'";
            default -> "'- " + kind.id() + "'";
        };
    }

    // ------------------------------------------------------------------ optimizer and training

    private OptimizerConfig optimizer(Section top) {
        ConfigNode node = top.get("optimizer");
        if (node == null) {
            top.missing("optimizer", "e.g. 'optimizer: {name: adam, lr: 0.001}' (valid names: " + String.join(", ", OptimizerConfig.NAMES) + ")");
            return null;
        }
        if (node instanceof ConfigNode.Scalar) {
            // "optimizer: adam" is short for {name: adam} with all defaults
            String name = top.choice("optimizer", null, OptimizerConfig.NAMES, "optimizer");
            return name == null ? null : OptimizerConfig.of(name, OptimizerConfig.schema(name).validate(Map.of()).values());
        }
        Section s = top.section("optimizer");
        if (s == null) return null;
        if (!s.has("name")) {
            s.missing("name", "which optimizer: " + String.join(", ", OptimizerConfig.NAMES));
            return null;
        }
        String name = s.choice("name", null, OptimizerConfig.NAMES, "optimizer");
        if (name == null) return null;
        s.allowOnly(OptimizerConfig.keys(name), " for " + name);
        return optimizerOptions(s, OptimizerConfig.schema(name));
    }

    /**
     * Each option read with its kind from the optimizer's schema (a wrong type is reported here), then checked by the
     * schema, the same check the Java API makes; a problem is reported at the option's line when it was given.
     */
    private static OptimizerConfig optimizerOptions(Section s, OptimizerSchema schema) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (OptimizerOption o : schema.options()) {
            String key = o.name();
            Object fallback = o.fallback();
            values.put(key, switch (o.kind()) {
                case NUMBER -> s.number(key, (Double) fallback, v -> true, "a number");
                case INTEGER -> s.longValue(key, ((Integer) fallback).longValue());
                case BOOL -> s.bool(key, (Boolean) fallback);
                case CHOICE -> s.string(key, (String) fallback);
                case PAIR -> {
                    List<?> pair = (List<?>) fallback;
                    double[] read = s.numbers(key, null, 2, v -> true, "a number");
                    yield read == null ? pair : List.of(read[0], read[1]);
                }
            });
        }
        List<OptionException> problems = schema.problems(values);
        for (OptionException ex : problems) s.problem(s.has(ex.option()) ? ex.option() : "name", ex.problem());
        return OptimizerConfig.of(schema.name(), problems.isEmpty() ? schema.validate(values).values() : values);
    }

    private TrainingConfig training(Section s) {
        s.allowOnly(TRAINING_KEYS);
        int epochs = s.integer("epochs", 10, 1);
        int batchSize = s.integer("batch_size", 64, 1);
        int checkpointEvery = s.integer("checkpoint_every", 0, 0);
        boolean dropLast = s.bool("drop_last", false);
        Integer threads = s.integer("threads", null, 1);
        if (threads != null && threads > MAX_THREADS) {
            s.problem("threads", "must be at most " + MAX_THREADS + " (the most a Java thread pool runs), got " + threads
                    + "; this machine has " + Runtime.getRuntime().availableProcessors() + " processors");
            threads = null;
        }
        int keep = s.integer("keep_checkpoints", 2, 1);
        Section es = s.section("early_stopping");
        EarlyStoppingConfig earlyStopping = es == null ? null : EarlyStoppingConfig.read(es);
        return new TrainingConfig(epochs, batchSize, checkpointEvery, dropLast, threads, keep, s.origin(), earlyStopping);
    }
}
