package io.github.eagle4j.report;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.UnexpectedAlertBehaviour;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Opens a {@code report.html} with hostile text in headless Chromium (the Debian packages chromium and
 * chromium-driver), takes a screenshot ({@code target/report-screenshot.png}) and checks that the page works
 * offline and is safe: the overlay, slider, charts, token colours and provenance exist; the slider changes the
 * canvas; the hostile prompt is text, no injected element exists, no alert fired, nothing was fetched.
 *
 * <p>Skipped when Chromium or chromedriver is missing, unless {@code EAGLE4J_REQUIRE_BROWSER=1} (as .ci/run
 * sets), which turns their absence into a failure.
 */
class ReportBrowserTest {
    static final Path CHROMIUM = Path.of(System.getProperty("eagle4j.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("eagle4j.chromedriver", "/usr/bin/chromedriver"));
    static final Path SCREENSHOT = Path.of("target", "report-screenshot.png");

    @TempDir
    Path dir;

    /** Why the browser cannot run, or empty when it can. */
    static Optional<String> missingBrowser(Path chromium, Path driver) {
        if (Files.isExecutable(chromium) && Files.isExecutable(driver)) {
            return Optional.empty();
        }
        return Optional.of("headless Chromium is not installed (" + chromium + (Files.isExecutable(chromium) ? " found, " : " missing, ")
                + driver + (Files.isExecutable(driver) ? " found" : " missing") + "; Debian packages chromium and chromium-driver)");
    }

    /** Skips, or fails when {@code required}, if the browser is missing. */
    static void requireBrowser(Optional<String> missing, boolean required) {
        if (missing.isEmpty()) {
            return;
        }
        if (required) {
            fail(missing.get() + ", and EAGLE4J_REQUIRE_BROWSER=1 requires it");
        }
        Assumptions.abort(missing.get() + ": browser test skipped (EAGLE4J_REQUIRE_BROWSER=1 makes this a failure)");
    }

    static boolean browserRequired() {
        String v = System.getenv("EAGLE4J_REQUIRE_BROWSER");
        return v != null && (v.equals("1") || v.equalsIgnoreCase("true"));
    }

    @Test
    void missingBrowserSkipsOrFailsAsConfigured() {
        Optional<String> missing = missingBrowser(Path.of("/nonexistent/chromium"), Path.of("/nonexistent/chromedriver"));
        assertThat(missing).get().asString().contains("/nonexistent/chromium missing", "chromium-driver");
        assertThatThrownBy(() -> requireBrowser(missing, false)).isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("skipped");
        assertThatThrownBy(() -> requireBrowser(missing, true)).isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("EAGLE4J_REQUIRE_BROWSER=1");
    }

    @Test
    void reportWorksOfflineInHeadlessChromiumAndRendersHostileTextAsText() throws IOException {
        requireBrowser(missingBrowser(CHROMIUM, CHROMEDRIVER), browserRequired());
        ReportFixtures.write(dir);
        Path report = dir.resolve(ExplanationWriter.REPORT);
        Path profile = Files.createDirectory(dir.resolve("chromium-profile"));

        // explicit driver and browser paths: Selenium Manager is never consulted, nothing is downloaded
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--user-data-dir=" + profile, "--window-size=1280,1000");
        options.setUnhandledPromptBehaviour(UnexpectedAlertBehaviour.IGNORE);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability(ChromeOptions.LOGGING_PREFS, logs);

        ChromeDriver driver = new ChromeDriver(service, options);
        try {
            // record alerts instead of showing them, from before the page's first script
            driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source",
                    "window.__alerts = []; window.alert = function (m) { window.__alerts.push(String(m)); };"));
            driver.get(report.toUri().toString());
            waitForReady(driver);

            // the parts of the page, gathered in one round trip
            Map<String, Object> page = page(driver);
            assertThat(page.get("canvas")).isEqualTo("CANVAS " + ReportFixtures.W + "x" + ReportFixtures.H);
            assertThat(page.get("slider")).isEqualTo("range 0..48");
            assertThat(page.get("charts")).isEqualTo(List.of("svg 4", "svg 1")); // insertion: mean + one line per target
            assertThat(page.get("tokens")).isEqualTo(List.of("a", "<b>red</b>", "square",
                    "</script><script>alert(3)</script>", "&", "\"more\"", "</s>"));
            // red = relies on the image (token 1, the red square), blue = language prior (token 6, the end)
            List<?> colours = (List<?>) page.get("colours");
            assertThat(colours).hasSize(3);
            assertThat(colours.get(0)).isEqualTo("rgb(255, 0, 0)");
            assertThat(colours.get(1)).isNotIn("rgb(255, 0, 0)", "rgb(0, 0, 255)");
            assertThat(colours.get(2)).isEqualTo("rgb(0, 0, 255)");
            assertThat(((Number) page.get("provenanceRows")).intValue()).isGreaterThan(8);
            assertThat((String) page.get("provenance")).contains("backend\ttest", "model\t" + ReportFixtures.HOSTILE_MODEL);
            assertThat((String) page.get("metrics")).contains("insertion AUC", "pointing game (box)\thit");

            // the slider changes the canvas, the readout and the chart markers
            WebElement slider = driver.findElement(By.id("step"));
            Map<String, Object> start = canvasState(driver);
            slider.sendKeys(Keys.HOME);
            Map<String, Object> first = canvasState(driver);
            assertThat(driver.findElement(By.id("step-label")).getText()).isEqualTo("0 / 48");
            slider.sendKeys(Keys.END);
            Map<String, Object> last = canvasState(driver);
            assertThat(driver.findElement(By.id("step-label")).getText()).isEqualTo("48 / 48");
            assertThat(first.get("hash")).isNotEqualTo(last.get("hash")).isNotEqualTo(start.get("hash"));
            // step 0 shows every region dimmed, step N the whole image
            assertThat(((Number) last.get("mean")).doubleValue()).isGreaterThan(2 * ((Number) first.get("mean")).doubleValue());
            assertThat(first.get("marker")).isNotEqualTo(last.get("marker"));
            slider.sendKeys(Keys.ARROW_LEFT);
            assertThat(canvasState(driver).get("hash")).isNotEqualTo(last.get("hash"));
            assertThat(driver.findElement(By.id("step-readout")).getText()).startsWith("Step 47 of 48");
            driver.findElement(By.cssSelector("input[name=mode][value=heat]")).click();
            assertThat(canvasState(driver).get("hash")).isNotEqualTo(last.get("hash"));
            driver.findElement(By.cssSelector("input[name=mode][value=kept]")).click();
            slider.sendKeys(Keys.HOME);
            for (int i = 0; i < 7; i++) {
                slider.sendKeys(Keys.ARROW_RIGHT);
            }

            // hostile text is text: nothing injected, nothing ran
            page = page(driver);
            assertThat(page.get("prompt")).isEqualTo(ReportFixtures.HOSTILE_PROMPT);
            assertThat(page.get("answer")).isEqualTo(ReportFixtures.HOSTILE_ANSWER);
            assertThat(page.get("imgX")).isEqualTo(0L);
            assertThat(page.get("images")).isEqualTo(1L);
            assertThat((List<?>) page.get("bold")).hasSize(2).allMatch(t -> t.toString().matches("\\d\\.\\d{3}"));
            assertThat(page.get("handlers")).isEqualTo(0L);
            assertThat(page.get("scripts")).isEqualTo(2L);
            assertThat((List<?>) page.get("alerts")).isEmpty();
            assertThatThrownBy(() -> driver.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);

            // offline: nothing fetched but the page's own data: URIs, no errors or policy violations logged
            @SuppressWarnings("unchecked")
            List<String> fetched = (List<String>) page.get("fetched");
            assertThat(fetched).allMatch(u -> u.startsWith("data:"));
            List<LogEntry> problems = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                    .filter(e -> e.getLevel().intValue() >= Level.WARNING.intValue()).toList();
            assertThat(problems).as("browser console").isEmpty();

            // a full-page screenshot for people to look at
            long height = ((Number) driver.executeScript("return document.documentElement.scrollHeight"
                    + " + Math.max(0, window.outerHeight - window.innerHeight);")).longValue();
            driver.manage().window().setSize(new Dimension(1280, (int) Math.min(6000, height)));
            Files.createDirectories(SCREENSHOT.getParent());
            Files.write(SCREENSHOT, driver.getScreenshotAs(OutputType.BYTES));
            assertThat(Files.size(SCREENSHOT)).isGreaterThan(10_000);
        } finally {
            driver.quit();
            service.stop();
        }
    }

    private static void waitForReady(ChromeDriver driver) {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (!"1".equals(driver.executeScript("return document.documentElement.getAttribute('data-ready');"))) {
            if (System.nanoTime() > deadline) {
                fail("the report's script did not draw the overlay within 15 s");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
    }

    /** Facts about the page's elements, in one script call (each WebDriver command is a round trip). */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> page(ChromeDriver driver) {
        return (Map<String, Object>) driver.executeScript(String.join("\n",
                "var q = function (s) { return Array.prototype.slice.call(document.querySelectorAll(s)); };",
                "var c = document.getElementById('overlay'), r = document.getElementById('step');",
                "var table = function (id) { return q('#' + id + ' tr').map(function (tr) {",
                "  return Array.prototype.map.call(tr.children, function (td) { return td.innerText; }).join('\\t'); }).join('\\n'); };",
                "return {",
                " canvas: c.tagName + ' ' + c.width + 'x' + c.height,",
                " slider: r.type + ' ' + r.min + '..' + r.max,",
                " charts: ['chart-insertion', 'chart-deletion'].map(function (id) { var e = document.getElementById(id);",
                "   return e.tagName + ' ' + e.querySelectorAll('path.line').length; }),",
                " tokens: q('#tokens .tok').map(function (e) { return e.firstChild.textContent; }),",
                " colours: q('#tokens .tok.target').map(function (e) { return getComputedStyle(e).backgroundColor; }),",
                " provenanceRows: q('#provenance tr').length, provenance: table('provenance'), metrics: table('metrics'),",
                " prompt: document.getElementById('prompt').textContent, answer: document.getElementById('answer').textContent,",
                " imgX: q('img[src=\"x\"]').length, images: q('img').length,",
                " bold: q('b').filter(function (e) { return !e.closest('.chip'); }).map(function (e) { return e.textContent; }),",
                " handlers: q('[onerror], [onload], [onclick], [onmouseover]').length, scripts: q('script').length,",
                " alerts: window.__alerts,",
                " fetched: performance.getEntriesByType('resource').map(function (e) { return e.name; })",
                "};"));
    }

    /** A hash and the mean brightness of the canvas pixels, and the insertion chart marker's position. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> canvasState(ChromeDriver driver) {
        return (Map<String, Object>) driver.executeScript(
                "var c = document.getElementById('overlay');"
                        + "var d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                        + "var h = 0, s = 0;"
                        + "for (var i = 0; i < d.length; i++) { h = (h * 31 + d[i]) | 0; if (i % 4 < 3) s += d[i]; }"
                        + "return {hash: h, mean: s / (d.length * 0.75),"
                        + " marker: document.getElementById('chart-insertion-marker').getAttribute('transform')};");
    }
}
