package dev.ravine.app.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.app.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The dashboard in a real headless Chromium driven by Selenium (chromedriver): a CNN run trained in-process with
 * {@code ravine train --dashboard}, its run page (at the printed address) watched while it trains, the loss chart's
 * drawn point count (the chart code's own self-check) growing while the status says running; a failing run (lr 1.0)
 * whose page was opened before the run started, its finding appearing without a reload; the compare page of the two;
 * the runs page listing both. Chromium and chromedriver are required unless RAVINE_SKIP_BROWSER=1 (or
 * -Dravine.skipBrowser=true). With -Dravine.screenshots=DIR it saves the three pages as PNGs there.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTest {
    @TempDir
    static Path dir;

    static WebDriver browser;
    static Path runs;

    @BeforeAll
    static void openBrowser() throws Exception {
        boolean skip = "1".equals(System.getenv("RAVINE_SKIP_BROWSER")) || Boolean.getBoolean("ravine.skipBrowser");
        if (skip) System.err.println("DashboardBrowserTest: skipped on request (RAVINE_SKIP_BROWSER=1 or -Dravine.skipBrowser=true)");
        Assumptions.assumeFalse(skip, "RAVINE_SKIP_BROWSER=1: the headless-browser test of the dashboard is skipped");
        Path driver = firstExecutable("RAVINE_CHROMEDRIVER", "/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");
        Path chromium = firstExecutable("RAVINE_CHROMIUM", "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--window-size=1200,900", "--user-data-dir=" + dir.resolve("profile"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
        runs = dir.resolve("runs");
        Files.createDirectories(runs);
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) browser.quit();
    }

    private static Path firstExecutable(String env, String... paths) {
        String explicit = System.getenv(env);
        if (explicit != null && !explicit.isBlank()) return Path.of(explicit);
        for (String p : paths) if (Files.isExecutable(Path.of(p))) return Path.of(p);
        throw new AssertionError("none of " + String.join(", ", paths) + " is installed (set " + env + "): install chromium and "
                + "chromium-driver (apt-get install chromium chromium-driver) or set RAVINE_SKIP_BROWSER=1 to skip this test explicitly");
    }

    @Test
    @Order(1)
    void theRunPageFollowsATrainingStartedWithDashboard() throws Exception {
        Path config = writeConfig("healthy.yaml", "{name: adam, lr: 0.002}", 3, 1000);
        Output out = new Output();
        CompletableFuture<Integer> training = CompletableFuture.supplyAsync(() -> Main.run(new String[] {"train", config.toString(),
                "--out", runs.resolve("healthy").toString(), "--dashboard", "--port", "0"}, out.stream, out.stream));
        long t0 = System.nanoTime();
        String address = waitFor(() -> {
            Matcher m = Pattern.compile("dashboard: (http://\\S+)").matcher(out.text());
            return m.find() ? m.group(1) : null;
        }, 60, () -> "train --dashboard printed no address:\n" + out.text());
        assertTrue(address.contains("run?name=healthy"), address);
        browser.get(address);

        List<Integer> seen = new ArrayList<>();
        boolean liveShot = false;
        while (!training.isDone()) {
            String status = status("dashboard-status");
            Matcher points = Pattern.compile("chart loss: points=(\\d+)").matcher(status);
            if (points.find() && status.contains("status: running")) {
                int n = Integer.parseInt(points.group(1));
                if (seen.isEmpty() || n != seen.getLast()) seen.add(n);
                if (n > 30 && !liveShot) liveShot = screenshot("dashboard-run.png"); // mid-run, status running
            }
            Thread.sleep(150);
        }
        assertEquals(0, (int) training.get(), out.text());
        System.err.printf("DashboardBrowserTest: the run ended after %.1f s; loss points seen on its page: %s%n", (System.nanoTime() - t0) / 1e9, seen);
        assertTrue(seen.size() >= 2, "the loss chart was drawn again with more points while the run went on: " + seen);
        for (int i = 1; i < seen.size(); i++) assertTrue(seen.get(i) > seen.get(i - 1), "points only grow: " + seen);
        String last = waitFor(() -> {
            String s = status("dashboard-status");
            return s.contains("status: completed") ? s : null;
        }, 10, () -> "the page never showed the completed run: " + status("dashboard-status"));
        assertTrue(last.contains("errors: 0"), last);
        for (String chart : List.of("loss", "accuracy", "gradients", "updates", "sharpness", "activations")) {
            Matcher m = Pattern.compile("chart " + chart + ": points=(\\d+) painted=(\\d+)").matcher(last);
            assertTrue(m.find() && Integer.parseInt(m.group(1)) > 0 && Integer.parseInt(m.group(2)) > 0, chart + " is drawn: " + last);
        }
    }

    @Test
    @Order(2)
    void aFindingOfAFailingRunAppearsLiveAndTheComparePageShowsBothRuns() throws Exception {
        Path config = dir.resolve("failing.yaml"); // the demo's failing MLP (examples/demo-failing.yaml) on 1,000 digits
        Files.writeString(config, """
                seed: 7
                data:
                  train: idx:%s
                  validation_split: 0.1
                  train_subset: 1000
                  normalize: standardize
                model:
                  input: [1, 28, 28]
                  layers:
                    - flatten
                    - linear: {out: 256, init: he_normal}
                    - relu
                    - linear: {out: 256, init: he_normal}
                    - relu
                    - linear: {out: 10}
                loss: cross_entropy
                optimizer: {name: sgd, lr: 1.0, momentum: 0.9}
                training: {epochs: 2, batch_size: 64}
                """.formatted(shippedMnist().resolve("train")));
        try (Dashboard dashboard = Dashboard.start(runs, 0)) {
            browser.get(dashboard.url().resolve("run?name=failing").toString());
            waitFor(() -> text("connection").startsWith("waiting") ? "" : null, 10, () -> "the page waits for the run: " + text("connection"));
            ((JavascriptExecutor) browser).executeScript("window.__sameDocument = true;");
            Output out = new Output();
            int code = Main.run(new String[] {"train", config.toString(), "--out", runs.resolve("failing").toString()}, out.stream, out.stream);
            assertEquals(3, code, "the run diverges:\n" + out.text());
            String finding = waitFor(() -> {
                Object text = ((JavascriptExecutor) browser).executeScript(
                        "var a = document.querySelector('#findings-slot article.finding'); return a ? a.textContent : null;");
                // the top finding once the cause has opened: a poll between steps can catch the growth warning alone first
                return text == null || !(text.toString().contains("lr_too_high") || text.toString().contains("exploding_gradients"))
                        ? null : text.toString();
            }, 10, () -> "no lr_too_high or exploding_gradients finding on top of the page: " + status("findings-slot"));
            assertTrue(finding.contains("lr_too_high") || finding.contains("exploding_gradients"), finding);
            assertEquals(Boolean.TRUE, ((JavascriptExecutor) browser).executeScript("return window.__sameDocument === true;"),
                    "the finding arrived without a reload");
            waitFor(() -> status("dashboard-status").contains("status: diverged") ? "" : null, 10,
                    () -> "the page shows the diverged run: " + status("dashboard-status"));
            assertNoScriptErrors();
            screenshot("dashboard-failing-run.png");

            browser.get(dashboard.url().resolve("compare?run=healthy&run=failing").toString());
            String compare = waitFor(() -> {
                String s = text("compare-status");
                return s.startsWith("chart") ? s : null;
            }, 10, () -> "the compare page drew nothing: " + text("compare-status"));
            assertFalse(compare.contains("error"), compare);
            assertTrue(compare.contains("chart loss: series=2"), compare);
            assertNoScriptErrors();
            List<String> headings = browser.findElements(By.cssSelector(".run-findings h3")).stream().map(e -> e.getText()).toList();
            assertEquals(List.of("healthy", "failing"), headings);
            assertFalse(browser.findElements(By.cssSelector("td.diff")).isEmpty(), "the differing config values are highlighted");
            screenshot("dashboard-compare.png");

            browser.get(dashboard.url().toString());
            waitFor(() -> browser.findElements(By.cssSelector("#run-rows tr")).size() == 2 ? "" : null, 10,
                    () -> "the runs page lists both runs: " + text("run-rows"));
            String rows = text("run-rows");
            assertTrue(rows.contains("completed") && rows.contains("diverged"), rows);
            assertNoScriptErrors();
            screenshot("dashboard-runs.png");
        }
    }

    /** A small CNN on the shipped digits (slow enough to watch: a few seconds) with the given optimizer. */
    private static Path writeConfig(String name, String optimizer, int epochs, int subset) throws Exception {
        Path mnist = shippedMnist();
        Path file = dir.resolve(name);
        Files.writeString(file, """
                seed: 7
                data:
                  train: idx:%s
                  validation_split: 0.2
                  train_subset: %d
                  normalize: standardize
                model:
                  input: [1, 28, 28]
                  layers:
                    - conv2d: {out: 8, kernel: 3, padding: 1}
                    - relu
                    - maxpool: {kernel: 2}
                    - flatten
                    - linear: {out: 10}
                loss: cross_entropy
                optimizer: %s
                doctor: {every: 5, curvature_every: 15}
                training: {epochs: %d, batch_size: 32}
                """.formatted(mnist.resolve("train"), subset, optimizer, epochs));
        return file;
    }

    private static Path shippedMnist() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("data/mnist-10k"))) return p.resolve("data/mnist-10k");
        }
        throw new IllegalStateException("data/mnist-10k not found above " + Path.of("").toAbsolutePath());
    }

    private static void assertNoScriptErrors() {
        Object errors = ((JavascriptExecutor) browser).executeScript("return JSON.stringify(window.__reportErrors || ['no recorder']);");
        assertEquals("[]", errors, "script errors on " + browser.getCurrentUrl());
    }

    private static String text(String id) {
        var found = browser.findElements(By.id(id));
        return found.isEmpty() ? "" : found.getFirst().getText();
    }

    private static String status(String id) {
        Object s = ((JavascriptExecutor) browser).executeScript("var e = document.getElementById(arguments[0]); return e ? e.textContent : '';", id);
        return s == null ? "" : s.toString();
    }

    private static <T> T waitFor(Supplier<T> probe, int seconds, Supplier<String> failure) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            T v = probe.get();
            if (v != null) return v;
            Thread.sleep(100);
        }
        throw new AssertionError(failure.get());
    }

    /**
     * The page (the window made as tall as the page first, at most {@value #SHOT_HEIGHT} px) as a PNG under
     * -Dravine.screenshots; true when one was taken.
     */
    private static boolean screenshot(String name) throws Exception {
        String folder = System.getProperty("ravine.screenshots");
        if (folder == null || folder.isBlank()) return false;
        Object height = ((JavascriptExecutor) browser).executeScript("return document.documentElement.scrollHeight;");
        Dimension before = browser.manage().window().getSize();
        browser.manage().window().setSize(new Dimension(1200, Math.min(SHOT_HEIGHT, ((Number) height).intValue() + 140)));
        Thread.sleep(300);
        Path out = Path.of(folder).resolve(name);
        Files.createDirectories(out.getParent());
        Files.write(out, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        browser.manage().window().setSize(before);
        return true;
    }

    private static final int SHOT_HEIGHT = 2400;

    /** A command's output, readable while it runs. */
    private static final class Output {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        String text() {
            synchronized (bytes) {
                return bytes.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
