package dev.ravine.app.report;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Chromium, headless, that opens a page and returns its DOM after the page's scripts ran (virtual time lets
 * the page's timers fire without waiting for them). Found as {@code RAVINE_CHROMIUM}, else chromium, chromium-browser
 * or google-chrome on the PATH.
 */
public final class HeadlessChromium {
    private static final List<String> NAMES = List.of("chromium", "chromium-browser", "google-chrome");

    private final Path binary;

    private HeadlessChromium(Path binary) {
        this.binary = binary;
    }

    /** The browser, or null when none is installed. */
    public static HeadlessChromium find() {
        String explicit = System.getenv("RAVINE_CHROMIUM");
        if (explicit != null && !explicit.isBlank()) return new HeadlessChromium(Path.of(explicit));
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : NAMES) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) return new HeadlessChromium(candidate);
            }
        }
        return null;
    }

    /** The DOM of {@code page} after its scripts ran, serialised; a private profile folder so runs never share state. */
    public String dumpDom(Path page, Path profile) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(binary.toString(), "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-extensions", "--user-data-dir=" + profile.toAbsolutePath(), "--virtual-time-budget=5000",
                "--window-size=1200,900", "--dump-dom", page.toAbsolutePath().toUri().toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(binary + " did not finish within 30 s on " + page);
        }
        if (p.exitValue() != 0) throw new IOException(binary + " exited with " + p.exitValue() + " on " + page);
        return new String(out, StandardCharsets.UTF_8);
    }

    /** The text of the report's self-check element, {@code <pre id="report-status">}, unescaped. */
    static String reportStatus(String dom) {
        return status(dom, "report-status");
    }

    /** The text of a page's self-check element, {@code <pre id=ID>} (charts.js writes it), unescaped. */
    public static String status(String dom, String id) {
        Matcher m = Pattern.compile("<pre id=\"" + id + "\"[^>]*>(.*?)</pre>", Pattern.DOTALL).matcher(dom);
        if (!m.find()) throw new AssertionError("the page has no #" + id + " element:\n" + dom);
        return m.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&");
    }

    @Override
    public String toString() {
        return binary.toString();
    }
}
