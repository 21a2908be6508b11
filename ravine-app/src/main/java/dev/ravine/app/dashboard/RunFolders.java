package dev.ravine.app.dashboard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The run folders under the dashboard's folder: every folder holding a run.db, up to four levels down (a
 * sweep's trials sit at {@code sweep-x/trials/TRIAL}), named by their path relative to the folder with forward
 * slashes. A name from a URL is resolved only to one of these, so a page can never read outside the folder.
 */
final class RunFolders {
    static final int DEPTH = 4;
    private final Path root;

    RunFolders(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    Path root() {
        return root;
    }

    /** Every run's name, sorted (the folder itself is a run when it holds a run.db: its name is "."). */
    List<String> names() {
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root, DEPTH)) {
            files.filter(p -> p.getFileName() != null && p.getFileName().toString().equals("run.db") && Files.isRegularFile(p))
                    .forEach(db -> out.add(name(db.getParent())));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the runs under " + root + ": " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            // a folder removed while it was walked: keep what was listed; the next call lists what is there then
        }
        out.sort(null);
        return out;
    }

    /** The folder of the run named {@code name}, or null when there is no such run under the folder. */
    Path resolve(String name) {
        Path folder = place(name);
        return folder != null && Files.isRegularFile(folder.resolve("run.db")) ? folder : null;
    }

    /**
     * Where a run named {@code name} is or will be (a page may be opened before its run starts), or null when the name
     * leads outside the folder or deeper than {@value #DEPTH} levels.
     */
    Path place(String name) {
        if (name == null || name.isBlank()) return null;
        Path folder;
        try {
            folder = root.resolve(name).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            return null;
        }
        if (!folder.startsWith(root) || root.relativize(folder).getNameCount() > DEPTH) return null;
        return folder;
    }

    String name(Path folder) {
        String rel = root.relativize(folder.toAbsolutePath().normalize()).toString().replace('\\', '/');
        return rel.isEmpty() ? "." : rel;
    }
}
