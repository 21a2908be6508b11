package dev.ravine.app.run;

import dev.ravine.app.Version;
import dev.ravine.app.build.BuiltModel;
import dev.ravine.app.build.RunData;
import dev.ravine.app.config.RunConfig;
import dev.ravine.app.store.Summary;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The facts a run keeps in run.db's meta table: what it is when it starts, how it ended when it ends. */
final class RunMeta {
    private RunMeta() {}

    static Map<String, String> atStart(RunConfig config, RunData data, BuiltModel model, int threads, Instant started) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("ravine_version", Version.get());
        m.put("java_version", Runtime.version().toString());
        m.put("config_file", config.file().toString());
        m.put("config_name", config.name());
        m.put("seed", Long.toString(config.seed()));
        m.put("threads", Integer.toString(threads));
        m.put("parameters", Long.toString(model.parameterCount()));
        m.put("train_samples", Integer.toString(data.train().size()));
        m.put("validation_samples", Integer.toString(data.validation() == null ? 0 : data.validation().size()));
        m.put("test_samples", Integer.toString(data.test() == null ? 0 : data.test().size()));
        m.put("classes", Integer.toString(data.numClasses()));
        m.put("started_at", started.toString());
        m.put("status", "running");
        return m;
    }

    static Map<String, String> atEnd(Summary s) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("status", s.status());
        m.put("reason", s.reason());
        m.put("finished_at", s.finishedAt().toString());
        m.put("wall_seconds", Double.toString(s.wallSeconds()));
        if (s.test() != null) {
            m.put("test_loss", Double.toString(s.test().loss()));
            m.put("test_accuracy", Double.toString(s.test().accuracy()));
        }
        return m;
    }
}
