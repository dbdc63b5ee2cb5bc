package io.github.eagle4j.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.eagle4j.ExplainOptions;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.ScoringTask;
import io.github.eagle4j.Target;
import io.github.eagle4j.TextExplainer;
import io.github.eagle4j.TokenScorer;
import io.github.eagle4j.text.PromptToken;
import io.github.eagle4j.text.SpanMode;
import io.github.eagle4j.text.TextExplanation;
import io.github.eagle4j.text.TextMask;
import io.github.eagle4j.text.TextMaskBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Text regions in explanation.json and report.html: the spans, their order and curves are written, the prompt is
 * shown with spans coloured by attribution (hostile text stays text), and the span slider marks the first k spans.
 */
class TextRegionsReportTest {
    static final String PROMPT = "Is <b>red</b> there? \"yes\" & no";
    @TempDir
    Path dir;

    /** Tokens at whitespace-separated words; the probability is the kept share of the word "<b>red</b>"'s weight. */
    static TextExplanation textExplanation() {
        ScoringTask task = new ScoringTask(PROMPT, "yes", List.of("yes"), List.of(new Target(0, "yes", 7)));
        TokenScorer scorer = new TokenScorer() {
            @Override
            public ScoringTask task() {
                return task;
            }

            @Override
            public double[][] score(List<RgbImage> images) {
                throw new AssertionError();
            }

            @Override
            public Set<TextMask> textMasks() {
                return EnumSet.allOf(TextMask.class);
            }

            @Override
            public List<PromptToken> promptTokens(int width, int height) {
                List<PromptToken> out = new ArrayList<>();
                int pos = 3;
                for (int i = 0; i < PROMPT.length(); ) {
                    int j = PROMPT.indexOf(' ', i);
                    j = j < 0 ? PROMPT.length() : j;
                    out.add(new PromptToken(pos++, 0, i, j));
                    i = j + 1;
                }
                return out;
            }

            @Override
            public double[][] scoreText(TextMaskBatch batch) {
                double[][] out = new double[batch.size()][1];
                for (int i = 0; i < batch.size(); i++) {
                    double p = 0.05;
                    for (int s = 0; s < batch.spans().size(); s++) {
                        if (batch.isKept(i, s)) {
                            p += s == 1 ? 0.6 : 0.05; // span 1 is "<b>red</b>"
                        }
                    }
                    out[i][0] = Math.min(1, p);
                }
                return out;
            }
        };
        return new TextExplainer(ExplainOptions.defaults(), SpanMode.WORDS, TextMask.DROP).explain(ReportFixtures.scene(), scorer);
    }

    @Test
    void jsonAndReportCarryTheSpans() throws IOException {
        TextExplanation te = textExplanation();
        ExplanationWriter.write(ReportFixtures.explanation(), ReportFixtures.scene(), dir, TextRegionsJson.fields(te));
        JsonNode json = new ObjectMapper().readTree(dir.resolve(ExplanationWriter.JSON).toFile());
        assertThat(json.get("textRegions").get(1).get("text").asText()).isEqualTo("<b>red</b>");
        assertThat(json.get("textRegions").get(1).get("charStart").asInt()).isEqualTo(3);
        assertThat(json.get("textRegions").get(1).get("role").asText()).isEqualTo("user");
        assertThat(json.get("textOrder").get(0).asInt()).isEqualTo(1);
        assertThat(json.get("textSearch").get("mask").asText()).isEqualTo("drop");
        assertThat(json.get("textSearch").get("insertionCurve").size()).isEqualTo(te.spans().size());
        assertThat(json.get("textSearch").get("exactness").asText()).isEqualTo("exact");
        JsonNode provenance = json.get("textSearch").get("provenance");
        assertThat(provenance.get("segmenter").asText()).isEqualTo("words");
        assertThat(provenance.get("segmenterSettings").get("textMask").asText()).isEqualTo("drop");
        assertThat(provenance.get("regionCount").asInt()).isEqualTo(te.spans().size());
        assertThat(provenance.get("searchSettings").get("lambda1")).isNotNull();

        ExplanationWriter.regenerate(dir);
        String html = Files.readString(dir.resolve(ExplanationWriter.REPORT));
        assertThat(html).contains("What the answer rests on in the prompt", "id=\"text-step\"", "max=\"" + te.spans().size() + "\"")
                .contains("&lt;b&gt;red&lt;/b&gt;</span>").doesNotContain("<b>red</b></span>");
    }

    @Test
    void theSpanSliderMarksTheFirstSpansInChromium() throws IOException {
        ReportBrowserTest.requireBrowser(ReportBrowserTest.missingBrowser(ReportBrowserTest.CHROMIUM, ReportBrowserTest.CHROMEDRIVER),
                ReportBrowserTest.browserRequired());
        ExplanationWriter.write(ReportFixtures.explanation(), ReportFixtures.scene(), dir, TextRegionsJson.fields(textExplanation()));
        Path profile = Files.createDirectory(dir.resolve("chromium-profile"));
        System.setProperty("webdriver.chrome.driver", ReportBrowserTest.CHROMEDRIVER.toString());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(ReportBrowserTest.CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(ReportBrowserTest.CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--user-data-dir=" + profile);
        ChromeDriver driver = new ChromeDriver(service, options);
        try {
            driver.get(dir.resolve(ExplanationWriter.REPORT).toUri().toString());
            assertThat(driver.findElement(By.id("text-prompt")).getText()).isEqualTo(PROMPT);
            WebElement slider = driver.findElement(By.id("text-step"));
            assertThat(driver.findElements(By.cssSelector("#text-prompt .tspan.on"))).extracting(WebElement::getText)
                    .containsExactly("<b>red</b>");
            assertThat(driver.findElement(By.id("text-readout")).getText()).startsWith("First 1: \u201c<b>red</b>\u201d");
            slider.sendKeys(Keys.END);
            assertThat(driver.findElements(By.cssSelector("#text-prompt .tspan.off"))).isEmpty();
            slider.sendKeys(Keys.HOME);
            assertThat(driver.findElements(By.cssSelector("#text-prompt .tspan.on"))).isEmpty();
            assertThat(driver.findElement(By.id("text-step-label")).getText()).isEqualTo("0 / 6");
        } finally {
            driver.quit();
            service.stop();
        }
    }
}
