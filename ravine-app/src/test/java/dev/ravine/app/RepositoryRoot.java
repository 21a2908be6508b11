package dev.ravine.app;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository's root folder, found above the test's working directory (a module folder under Maven). */
final class RepositoryRoot {
    private RepositoryRoot() {}

    static Path find() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("README.md")) && Files.isDirectory(p.resolve("tools"))) return p;
        }
        throw new IllegalStateException("the repository root (README.md, tools/) not found above " + Path.of("").toAbsolutePath());
    }
}
