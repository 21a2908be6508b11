package dev.ravine.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.optim.OptimizerOption;
import dev.ravine.optim.OptimizerSchema;
import dev.ravine.optim.OptionException;
import dev.ravine.optim.Optimizers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The optimizer schemas as the config reader and the docs see them: the same checks as the Java API, the same defaults as the docs. */
class OptimizerSchemaConfigTest {
    @TempDir
    Path dir;

    private static final String BASE = """
            data: {train: idx:path/to/train}
            model: {input: [4], layers: [{linear: {out: 3}}]}
            OPTIMIZER
            """;

    @Test
    void theReaderRefusesWhatTheJavaApiRefusesWithTheSameWords() {
        for (OptimizerSchema s : Optimizers.SCHEMAS) {
            if (s.option("weight_decay") == null) continue;
            String message = ConfigFiles.error(dir, BASE.replace("OPTIMIZER", "optimizer: {name: " + s.name() + ", weight_decay: -0.1}"));
            OptionException java = null;
            try {
                s.validate(Map.of("weight_decay", -0.1));
            } catch (OptionException e) {
                java = e;
            }
            assertTrue(java != null && message.contains("optimizer.weight_decay: " + java.problem() + " (config.yaml line 3)"), s.name() + ": " + message);
        }
        String betas = ConfigFiles.error(dir, BASE.replace("OPTIMIZER", "optimizer: {name: nadam, betas: [0.9, 1.5]}"));
        assertTrue(betas.contains("optimizer.betas: must be a number in [0, 1), got 1.5"), betas);
        String nesterov = ConfigFiles.error(dir, BASE.replace("OPTIMIZER", "optimizer: {name: sgd, lr: 0.1, nesterov: true}"));
        assertTrue(nesterov.contains("optimizer.nesterov: Nesterov momentum needs momentum > 0"), nesterov);
    }

    @Test
    void shorthandAndFullFormTakeTheSchemasDefaults() throws IOException {
        for (OptimizerSchema s : Optimizers.SCHEMAS) {
            RunConfig shorthand = ConfigFiles.read(dir, BASE.replace("OPTIMIZER", "optimizer: " + s.name()));
            RunConfig full = ConfigFiles.read(dir, BASE.replace("OPTIMIZER", "optimizer: {name: " + s.name() + "}"));
            assertEquals(s.validate(Map.of()).values(), shorthand.optimizer().options(), s.name());
            assertEquals(shorthand.optimizer(), full.optimizer(), s.name());
        }
    }

    /** examples/README.md lists every optimizer's options with their defaults: they must be the schema's, in its order. */
    @Test
    void theDocsTableAgreesWithTheSchemas() throws IOException {
        Map<String, String> table = docsTable();
        assertEquals(Optimizers.names().stream().sorted().toList(), table.keySet().stream().sorted().toList(), "one docs line per optimizer");
        Pattern option = Pattern.compile("(\\w+) \\((\\[[^]]*]|[^),:|]+)");
        for (OptimizerSchema s : Optimizers.SCHEMAS) {
            Map<String, String> documented = new LinkedHashMap<>();
            Matcher m = option.matcher(table.get(s.name()));
            while (m.find()) documented.put(m.group(1), m.group(2).trim());
            assertEquals(s.optionNames(), List.copyOf(documented.keySet()), s.name() + "'s options in the docs");
            for (OptimizerOption o : s.options()) {
                assertEquals(o.fallback(), parse(documented.get(o.name()), o), s.name() + " " + o.name() + " default in the docs");
            }
        }
    }

    /** The optimizer lines of examples/README.md, joined across continuation lines: name -> "{lr (0.001), ...}". */
    private static Map<String, String> docsTable() throws IOException {
        Path readme = null;
        for (Path p = Path.of("").toAbsolutePath(); p != null && readme == null; p = p.getParent()) {
            if (Files.exists(p.resolve("examples/README.md"))) readme = p.resolve("examples/README.md");
        }
        List<String> lines = Files.readAllLines(readme);
        Map<String, String> out = new LinkedHashMap<>();
        Pattern head = Pattern.compile("^\\s*# (\\w+)\\s+\\{(.*)$");
        String current = null;
        StringBuilder text = new StringBuilder();
        for (String line : lines) {
            Matcher m = head.matcher(line);
            if (current == null && m.matches() && Optimizers.names().contains(m.group(1))) {
                current = m.group(1);
                text.setLength(0);
                line = m.group(2);
            } else if (current == null) continue;
            else line = line.replaceFirst("^\\s*#", "");
            int close = line.indexOf('}');
            text.append(close >= 0 ? line.substring(0, close) : line).append(' ');
            if (close >= 0) {
                out.put(current, text.toString());
                current = null;
            }
        }
        return out;
    }

    private static Object parse(String text, OptimizerOption o) {
        return switch (o.kind()) {
            case NUMBER -> Double.parseDouble(text);
            case INTEGER -> Integer.parseInt(text);
            case BOOL -> Boolean.parseBoolean(text);
            case CHOICE -> text;
            case PAIR -> {
                String[] parts = text.replace("[", "").replace("]", "").split(",");
                List<Double> pair = new ArrayList<>();
                for (String p : parts) pair.add(Double.parseDouble(p.trim()));
                yield pair;
            }
        };
    }
}
