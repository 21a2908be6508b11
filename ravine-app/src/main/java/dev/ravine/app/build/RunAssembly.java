package dev.ravine.app.build;

import dev.ravine.app.config.ConfigException;
import dev.ravine.app.config.EarlyStoppingConfig;
import dev.ravine.app.config.LossConfig;
import dev.ravine.app.config.RunConfig;
import dev.ravine.app.config.TrainingConfig;
import dev.ravine.data.DataLoader;
import dev.ravine.kernel.ComputePool;
import dev.ravine.nn.loss.Loss;
import dev.ravine.optim.Optimizer;
import dev.ravine.tensor.Rng;
import dev.ravine.train.EarlyStopping;
import dev.ravine.train.StepHook;
import dev.ravine.train.TrainingListener;
import java.util.List;

/**
 * Everything a training run is made of, built from its config before any run folder exists (so a config that
 * cannot work leaves no half-made folder): the model, the normalized data and its loaders, the loss, the optimizer
 * with its schedule and constraints, early stopping and the step hooks, and the config as resolved (input shape,
 * layer sizes, threads filled in).
 *
 * @param rng              the run's one generator, after the model's initial weights were drawn from it
 * @param validationLoader null without a validation set
 * @param scheduleListener the learning-rate schedule's listener (epoch-interval and plateau schedules), or null
 * @param earlyStopping    null without training.early_stopping
 * @param threads          the compute threads the run trains with
 */
public record RunAssembly(RunConfig config, RunConfig resolved, Rng rng, BuiltModel model, RunData data, DataLoader trainLoader,
                          DataLoader validationLoader, Loss loss, Optimizer optimizer, TrainingListener scheduleListener,
                          EarlyStopping earlyStopping, List<StepHook> stepHooks, int threads) {

    /** Builds the run of {@code config}; bad input (model, data, their fit, batches) is thrown as a ConfigException. */
    public static RunAssembly of(RunConfig config) {
        return of(config, null);
    }

    /**
     * The run of {@code config} over data already loaded for its data section (null: load it): a doctor's probe of a
     * change that leaves the data alone builds its network, loaders and optimizer without reading the files again.
     */
    public static RunAssembly of(RunConfig config, RunData loaded) {
        TrainingConfig t = config.training();
        Rng rng = new Rng(config.seed());
        // With model.input given, a model that cannot be built fails before the (slow) data loading.
        BuiltModel model = config.model().input() == null ? null : ModelBuilder.build(config.model().layers(), config.model().input(), rng);
        RunData data = loaded != null ? loaded
                : RunData.load(config.data(), ModelDataCheck.isRegression(config.loss()), config.seed(), config.doctor().enabled());
        ModelDataCheck.requireInput(config, data.train());
        if (model == null) model = ModelBuilder.build(config.model().layers(), data.train().sampleShape(), rng);
        ModelDataCheck.requireFits(config, model, data.train(), data.numClasses());
        PretrainBlocks.require(config, model);

        if (config.data().balanced() && !data.train().isClassification()) {
            throw new ConfigException("data.sampler: balanced draws samples by class, but the training data has regression targets; "
                    + "use sampler: random (" + config.data().origin().describe() + ")");
        }
        DataLoader trainLoader = new DataLoader(data.train(), t.batchSize(), config.data().shuffle(), t.dropLast(), config.seed(),
                config.data().balanced());
        ModelDataCheck.requireBatches(trainLoader, t, model);
        DataLoader validationLoader = data.validation() == null ? null
                : new DataLoader(data.validation(), t.batchSize(), false, false, config.seed());
        int threads = ComputePool.threads();
        LossConfig lossConfig = config.lossOptions().resolved(data.train());
        RunConfig resolved = config.withModel(config.model().with(model.inputShape(), model.resolvedLayers()))
                .withTraining(t.withThreads(threads)).withLoss(lossConfig);
        Loss loss = LossBuilder.regularized(config.toolbox(), LossBuilder.create(lossConfig), model.network().namedParameters());
        ScheduledOptimizer scheduled = RunOptimizer.build(config, model.network().namedParameters(), trainLoader.batchesPerEpoch());
        Optimizer optimizer = scheduled.optimizer();
        EarlyStopping earlyStopping = t.earlyStopping() == null ? null : earlyStopping(t.earlyStopping());
        List<StepHook> stepHooks = StepHooks.of(config, data);
        return new RunAssembly(config, resolved, rng, model, data, trainLoader, validationLoader, loss, optimizer, scheduled.listener(),
                earlyStopping, stepHooks, threads);
    }

    public static EarlyStopping earlyStopping(EarlyStoppingConfig c) {
        return new EarlyStopping(c.monitor(), mode(c), c.patience(), c.minDelta(), c.restoreBest());
    }

    /** Whether early stopping's monitor improves upwards (accuracies) or downwards. */
    public static EarlyStopping.Mode mode(EarlyStoppingConfig c) {
        return c.mode().equals("max") ? EarlyStopping.Mode.MAX : EarlyStopping.Mode.MIN;
    }

    /** The test set's loader (batches of the training batch size, in order), or null without a test set. */
    public DataLoader testLoader() {
        return data.test() == null ? null : new DataLoader(data.test(), config.training().batchSize(), false, false, config.seed());
    }
}
