package dev.ravine.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.io.CheckpointFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/java-library is a Maven project of its own that depends on {@code dev.ravine:ravine-core}: this test
 * builds it with Maven through the local repository, the way a user's project would, and runs it. It is an
 * integration test (failsafe, after the reactor installed ravine-core), so {@code mvn install} and
 * {@code ./ravine test} run it and {@code mvn test} does not. The nested build is offline: every plugin it uses
 * has the version Ravine's own build just used, so it needs nothing that is not already in the local repository.
 */
class JavaLibraryExampleIT {
    private static final Path ROOT = Path.of(System.getProperty("ravine.root", "..")).toAbsolutePath().normalize();
    private static final String VERSION = System.getProperty("ravine.version", "0.1.0-SNAPSHOT");

    @TempDir
    Path dir;

    @Test
    void theExampleProjectBuildsAgainstTheInstalledCoreAndTrainsAndSavesAModel() throws Exception {
        Path project = dir.resolve("java-library");
        copyTree(ROOT.resolve("examples/java-library"), project);
        Path repo = localRepository();
        requireThisBuildsCoreInstalled(repo);

        Run build = run(project, List.of(maven(), "-B", "-q", "-o", "-Dmaven.repo.local=" + repo, "-Dmaven.test.skip=true",
                "package"));
        assertEquals(0, build.code, "the example project builds:\n" + build.output);
        assertTrue(Files.isRegularFile(project.resolve("target/lib/ravine-core-" + VERSION + ".jar")),
                "ravine-core came from the local repository");

        Path model = dir.resolve("digits.ckpt");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Run example = run(project, List.of(java.toString(), "--add-modules", "jdk.incubator.vector", "-cp",
                "target/classes:target/lib/*", "example.TrainDigits", ROOT.resolve("data/mnist-10k").toString(), model.toString()));
        assertEquals(0, example.code, "the example runs:\n" + example.output);

        Matcher trained = Pattern.compile("test accuracy (\\d+\\.\\d+)%").matcher(example.output);
        assertTrue(trained.find(), example.output);
        assertTrue(Double.parseDouble(trained.group(1)) > 80, "two epochs of an MLP on 8,000 digits: " + example.output);
        assertTrue(example.output.contains("reloaded test accuracy " + trained.group(1) + "%"), example.output);
        assertEquals(4, CheckpointFile.read(model).parameters().size(), "the saved model holds both linear layers' weights and biases");
    }

    private static Path localRepository() {
        String configured = System.getProperty("maven.repo.local");
        return configured != null && !configured.isBlank() ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".m2", "repository");
    }

    /** The installed jar must be the one this build made, not an older install (e.g. after a bare mvn verify). */
    private static void requireThisBuildsCoreInstalled(Path repo) throws IOException {
        String name = "ravine-core-" + VERSION + ".jar";
        Path built = ROOT.resolve("ravine-core/target").resolve(name);
        Path installed = repo.resolve("dev/ravine/ravine-core").resolve(VERSION).resolve(name);
        assertTrue(Files.isRegularFile(installed), installed + " is missing: run mvn install (./ravine test does) first");
        assertArrayEquals(Files.readAllBytes(built), Files.readAllBytes(installed), installed + " is not this build's "
                + built + ": run mvn install (./ravine test does), which installs it before this test");
    }

    private static String maven() {
        String home = System.getProperty("maven.home");
        Path bin = home == null ? null : Path.of(home, "bin", "mvn");
        return bin != null && Files.isExecutable(bin) ? bin.toString() : "mvn";
    }

    private record Run(int code, String output) {}

    private static Run run(Path workDir, List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command)).directory(workDir.toFile()).redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(5, TimeUnit.MINUTES)) p.destroyForcibly();
        return new Run(p.exitValue(), new String(out, java.nio.charset.StandardCharsets.UTF_8));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var paths = Files.walk(from)) {
            for (Path p : paths.filter(p -> !from.relativize(p).startsWith("target")).toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target);
            }
        }
    }
}
