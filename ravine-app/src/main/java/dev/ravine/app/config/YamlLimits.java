package dev.ravine.app.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * The budgets a configuration is parsed within, decided before any work so that no text makes the reader hang or
 * run out of memory: its size in code points (checked on the file's size and the text's length before SnakeYAML
 * sees it, and by SnakeYAML's own limit), aliases, nesting depth, and the number of nodes after aliases are expanded
 * (a few dozen aliases can expand to millions of nodes: "billion laughs"). Real configs are a few kilobytes and a
 * few hundred nodes.
 */
final class YamlLimits {
    /** Code points in one config file or --set value. */
    static final int CODE_POINTS = 1 << 20;
    /** Nodes after alias expansion. */
    static final int NODES = 100_000;
    static final int ALIASES = 50;
    static final int DEPTH = 50;

    private YamlLimits() {}

    static LoaderOptions loaderOptions() {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(CODE_POINTS);
        options.setMaxAliasesForCollections(ALIASES);
        options.setNestingDepthLimit(DEPTH);
        options.setAllowRecursiveKeys(false);
        options.setAllowDuplicateKeys(true); // reported by YamlTree with both lines, not by SnakeYAML
        return options;
    }

    /** Refuses a file that cannot hold a config before reading it: UTF-8 takes at least one byte per code point. */
    static void requireFileSize(Path file, String shown) throws IOException {
        long size = Files.size(file);
        if (size > 4L * CODE_POINTS) throw tooLarge(shown, size + " bytes");
    }

    static void requireLength(String text, String shown) {
        if (text.length() > CODE_POINTS && text.codePointCount(0, text.length()) > CODE_POINTS) {
            throw tooLarge(shown, text.length() + " characters");
        }
    }

    private static ConfigException tooLarge(String shown, String size) {
        return new ConfigException(shown + " is too large for a configuration (" + size + "; the limit is " + CODE_POINTS
                + " characters); is it the right file? Data belongs in data files, named in data.train");
    }
}
