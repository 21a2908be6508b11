package dev.ravine.app;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** README's layout table names every module of the build and every script in tools/ and bench/. */
class ReadmeLayoutTest {
    @Test
    void theLayoutTableListsEveryModuleAndToolScript() throws IOException {
        Path root = RepositoryRoot.find();
        String readme = Files.readString(root.resolve("README.md"));
        String layout = readme.substring(readme.indexOf("## Layout"));
        layout = layout.substring(0, layout.indexOf("\n## ", 1) < 0 ? layout.length() : layout.indexOf("\n## ", 1));
        List<String> missing = new ArrayList<>();
        Matcher module = Pattern.compile("<module>([^<]+)</module>").matcher(Files.readString(root.resolve("pom.xml")));
        while (module.find()) {
            String name = module.group(1).equals("bench") ? "bench/" : module.group(1);
            if (!layout.contains("`" + name + "`")) missing.add("module " + name);
        }
        for (String folder : List.of("tools", "bench")) {
            try (Stream<Path> files = Files.list(root.resolve(folder))) {
                for (Path f : files.filter(ReadmeLayoutTest::isScript).toList()) {
                    if (!layout.contains("`" + f.getFileName() + "`")) missing.add(folder + "/" + f.getFileName());
                }
            }
        }
        assertTrue(missing.isEmpty(), "README.md's layout table does not name: " + missing);
    }

    private static boolean isScript(Path f) {
        String n = f.getFileName().toString();
        return Files.isRegularFile(f) && (n.endsWith(".py") || n.endsWith(".sh"));
    }
}
