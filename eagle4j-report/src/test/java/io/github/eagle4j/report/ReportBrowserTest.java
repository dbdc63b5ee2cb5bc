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

            // the parts of the page
            WebElement canvas = driver.findElement(By.id("overlay"));
            assertThat(canvas.getTagName()).isEqualTo("canvas");
            assertThat(canvas.getDomAttribute("width")).isEqualTo(String.valueOf(ReportFixtures.W));
            WebElement slider = driver.findElement(By.id("step"));
            assertThat(slider.getDomAttribute("type")).isEqualTo("range");
            assertThat(slider.getDomAttribute("max")).isEqualTo("48");
            for (String chart : List.of("chart-insertion", "chart-deletion")) {
                WebElement svg = driver.findElement(By.id(chart));
                assertThat(svg.getTagName()).isEqualTo("svg");
                assertThat(svg.findElements(By.cssSelector("path.line"))).isNotEmpty();
            }
            List<WebElement> tokens = driver.findElements(By.cssSelector("#tokens .tok"));
            assertThat(tokens).hasSize(ReportFixtures.TOKENS.size());
            List<WebElement> coloured = driver.findElements(By.cssSelector("#tokens .tok.target"));
            assertThat(coloured).hasSize(3);
            // red = relies on the image (token 1, the red square), blue = language prior (token 6, the end)
            assertThat(coloured.get(0).getCssValue("background-color")).isEqualTo("rgba(255, 0, 0, 1)");
            assertThat(coloured.get(2).getCssValue("background-color")).isEqualTo("rgba(0, 0, 255, 1)");
            WebElement provenance = driver.findElement(By.id("provenance"));
            assertThat(provenance.findElements(By.tagName("tr")).size()).isGreaterThan(8);
            assertThat(provenance.getText()).contains("backend test").contains(ReportFixtures.HOSTILE_MODEL);
            assertThat(driver.findElement(By.id("metrics")).getText()).contains("insertion AUC", "pointing game (box)");

            // the slider changes the canvas, the readout and the chart markers
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
            assertThat(driver.findElement(By.id("prompt")).getText()).isEqualTo(ReportFixtures.HOSTILE_PROMPT);
            assertThat(driver.findElement(By.id("answer")).getText()).isEqualTo(ReportFixtures.HOSTILE_ANSWER);
            assertThat(driver.findElements(By.cssSelector("img[src='x']"))).isEmpty();
            assertThat(driver.findElements(By.tagName("img"))).hasSize(1);
            assertThat(driver.findElements(By.tagName("b"))).extracting(WebElement::getText)
                    .doesNotContain("red");
            assertThat(driver.findElements(By.cssSelector("[onerror], [onload]"))).isEmpty();
            assertThat(driver.findElements(By.tagName("script"))).hasSize(2);
            assertThat((List<?>) driver.executeScript("return window.__alerts;")).isEmpty();
            assertThatThrownBy(() -> driver.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);

            // offline: nothing fetched but the page's own data: URIs, no errors or policy violations logged
            @SuppressWarnings("unchecked")
            List<String> fetched = (List<String>) driver.executeScript(
                    "return performance.getEntriesByType('resource').map(function (e) { return e.name; });");
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
