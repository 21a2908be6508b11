package dev.ravine.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ravine.app.cli.Main;
import dev.ravine.app.report.HeadlessChromium;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every registered lab, run once in --quick through the real command ({@code ravine lab all --quick}): each has a
 * verdict whose deciding figures it measured, a lab whose claim is certain on its setup held, the index lists every
 * lab with its verdict, and every page draws in headless Chromium with no script error and no blank chart
 * (RAVINE_SKIP_BROWSER=1 skips that part only, as the report's browser test).
 */
class LabsQuickTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static Path out;
    static String printed;

    @BeforeAll
    static void runEveryLabQuick() {
        out = dir.resolve("labs");
        Result r = command("lab", "all", "--quick", "--out", out.toString());
        assertEquals(0, r.code(), r.text());
        printed = r.text();
    }

    record Result(int code, String text) {}

    static Result command(String... args) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int code;
        try (PrintStream p = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
            code = Main.run(args, p, p);
        }
        return new Result(code, buffer.toString(StandardCharsets.UTF_8));
    }

    private static JsonNode summary(Lab lab) throws Exception {
        Path file = out.resolve(lab.name() + ".json");
        assertTrue(Files.isRegularFile(file), "lab all writes " + file + ":\n" + printed);
        return JSON.readTree(file.toFile());
    }

    @Test
    void everyLabHasAVerdictDecidedByFiguresItMeasured() throws Exception {
        assertFalse(LabCatalog.all().isEmpty());
        for (Lab lab : LabCatalog.all()) {
            JsonNode s = summary(lab);
            assertEquals("quick", s.path("size").asText());
            String verdict = s.path("verdict").asText();
            assertTrue(verdict.equals("HELD") || verdict.equals("DID_NOT_HOLD"), lab.name() + ": " + s);
            assertFalse(s.path("because").asText().isBlank(), lab.name() + " says why");
            assertTrue(s.path("deciding").size() > 0, lab.name() + " names its deciding figures");
            Map<String, JsonNode> figures = new LinkedHashMap<>();
            for (JsonNode f : s.path("figures")) figures.put(f.path("key").asText(), f);
            for (JsonNode key : s.path("deciding")) {
                JsonNode f = figures.get(key.asText());
                assertNotNull(f, lab.name() + ": deciding figure " + key + " is among its figures");
                assertTrue(f.path("value").isNumber(), lab.name() + ": deciding figure " + key + " is a finite number: " + f);
            }
            assertTrue(printed.contains("lab " + lab.number() + " " + lab.name() + ": "), printed);
            assertTrue(printed.contains("claim " + (verdict.equals("HELD") ? "held" : "did not hold") + ": " + s.path("because").asText()), printed);
        }
    }

    @Test
    void aClaimThatIsCertainOnItsSetupHeld() throws Exception {
        int certain = 0;
        for (Lab lab : LabCatalog.all()) {
            if (!lab.certainOnThisSetup()) continue;
            certain++;
            JsonNode s = summary(lab);
            assertEquals("HELD", s.path("verdict").asText(), lab.name() + ": " + s.path("because").asText());
        }
        assertTrue(certain > 0, "lab 1's momentum speed-up is certain on its quadratic");
    }

    @Test
    void theIndexListsEveryLabWithItsVerdictAndPage() throws Exception {
        String index = Files.readString(out.resolve("index.html"));
        for (Lab lab : LabCatalog.all()) {
            Matcher row = Pattern.compile("<tr id=\"lab-" + Pattern.quote(lab.name()) + "\">(.*?)</tr>", Pattern.DOTALL).matcher(index);
            assertTrue(row.find(), "index row of " + lab.name());
            assertTrue(row.group(1).contains("href=\"" + lab.name() + ".html\""), row.group(1));
            assertTrue(row.group(1).contains("claim held") || row.group(1).contains("claim did not hold"), row.group(1));
            assertTrue(row.group(1).contains(lab.note()), row.group(1));
        }
    }

    @Test
    void listNamesEveryLabAndAnUnknownNameIsRefusedWithTheNearest() {
        Result list = command("lab", "list");
        assertEquals(0, list.code(), list.text());
        for (Lab lab : LabCatalog.all()) assertTrue(list.text().contains(lab.name()) && list.text().contains(lab.note()), list.text());
        String first = LabCatalog.names().getFirst();
        Result typo = command("lab", "run", first.substring(0, first.length() - 1) + "x", "--quick", "--out", dir.resolve("typo").toString());
        assertEquals(2, typo.code(), typo.text());
        assertTrue(typo.text().contains("unknown lab '") && typo.text().contains("did you mean '" + first + "'?"), typo.text());
        assertFalse(Files.exists(dir.resolve("typo")), "nothing is written for an unknown lab");
        Result none = command("lab");
        assertEquals(2, none.code(), none.text());
    }

    @Test
    void everyPageDrawsInHeadlessChromiumWithoutAScriptErrorOrABlankChart() throws Exception {
        boolean skip = "1".equals(System.getenv("RAVINE_SKIP_BROWSER")) || Boolean.getBoolean("ravine.skipBrowser");
        if (skip) System.err.println("LabsQuickTest: browser part skipped on request (RAVINE_SKIP_BROWSER=1)");
        Assumptions.assumeFalse(skip, "RAVINE_SKIP_BROWSER=1: the headless-browser check of the lab pages is skipped");
        HeadlessChromium chromium = HeadlessChromium.find();
        assertNotNull(chromium, "no Chromium found: install it (apt-get install chromium) or set RAVINE_SKIP_BROWSER=1 to skip this check");
        for (Lab lab : LabCatalog.all()) {
            Path page = out.resolve(lab.name() + ".html");
            String html = Files.readString(page);
            assertTrue(html.contains(lab.note()) && html.contains("Decision rule"), "the page names the note and states the rule");
            String status = HeadlessChromium.status(chromium.dumpDom(page, dir.resolve("profile-" + lab.name())), "lab-status");
            assertTrue(status.contains("errors: 0") && !status.contains("error: "), lab.name() + ":\n" + status);
            Map<String, Integer> painted = painted(status);
            assertEquals(anchors(html), painted.keySet(), lab.name() + ": every chart reports:\n" + status);
            painted.forEach((chart, px) -> assertTrue(px > 0, lab.name() + ": chart " + chart + " is blank:\n" + status));
        }
    }

    /** A broken copy of lab 1's page: its contour paths removed and a script that throws; the self-check sees both. */
    @Test
    void theSelfCheckSeesABlankContourAndAThrowingScript() throws Exception {
        boolean skip = "1".equals(System.getenv("RAVINE_SKIP_BROWSER")) || Boolean.getBoolean("ravine.skipBrowser");
        Assumptions.assumeFalse(skip, "RAVINE_SKIP_BROWSER=1");
        HeadlessChromium chromium = HeadlessChromium.find();
        assertNotNull(chromium, "no Chromium found (apt-get install chromium, or RAVINE_SKIP_BROWSER=1)");
        String html = Files.readString(out.resolve("optimizer-paths.html"));
        // every contour chart's paths removed
        String broken = html.replaceAll("\"paths\":\\[.*?\\],\"marks\"", "\"paths\":[],\"marks\"");
        broken = broken.replace("</body>", "<script>throw new Error(\"injected failure\");</script>\n</body>");
        Path file = dir.resolve("broken.html");
        Files.writeString(file, broken);
        String status = HeadlessChromium.status(chromium.dumpDom(file, dir.resolve("profile-broken")), "lab-status");
        assertTrue(status.contains("injected failure"), status);
        Map<String, Integer> painted = painted(status);
        assertEquals(0, painted.get("ravine-paths"), "a contour chart without its paths must not pass as drawn:\n" + status);
        assertTrue(painted.get("ravine-loss") > 0, status);
    }

    private static Set<String> anchors(String html) {
        Set<String> out = new HashSet<>();
        Matcher m = Pattern.compile("<div class=\"chart\" id=\"chart-([^\"]+)\">").matcher(html);
        while (m.find()) out.add(m.group(1));
        return out;
    }

    private static Map<String, Integer> painted(String status) {
        Map<String, Integer> out = new LinkedHashMap<>();
        List<String> bad = new ArrayList<>();
        for (String line : status.split("\n")) {
            if (!line.startsWith("chart ")) continue;
            Matcher m = Pattern.compile("chart (\\S+): points=(\\d+) painted=(\\d+)").matcher(line);
            if (m.matches()) out.put(m.group(1), Integer.parseInt(m.group(2)) > 0 ? Integer.parseInt(m.group(3)) : 0);
            else bad.add(line);
        }
        if (!bad.isEmpty()) out.put("(not drawn) " + bad, 0);
        return out;
    }
}
