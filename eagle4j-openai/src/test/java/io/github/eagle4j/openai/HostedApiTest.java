package io.github.eagle4j.openai;

import io.github.eagle4j.Explanation;
import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.SearchKind;
import io.github.eagle4j.TargetSelection;
import io.github.eagle4j.TokenScorer;
import io.github.eagle4j.VisionLanguageModel;
import io.github.eagle4j.report.ExplanationWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** {@code --backend openai}: approximate token-by-token scoring, its cost, and the API key kept out of every output. */
class HostedApiTest {
    static final String KEY_ENV = "EAGLE4J_TEST_KEY";
    static final String KEY = "sk-test-S3CRET-7f3a9c2e11d04b6b";
    static final RgbImage SCENE = TinyModel.scene();

    @TempDir
    Path dir;

    private static HostedApiModel open(FakeOpenAi server, String key) {
        ServerSettings s = ServerSettings.fromMap(server.url() + "/v1", Map.of("backend", "openai", "servedModel", "gpt-test",
                "apiKeyEnv", KEY_ENV, "concurrency", "4"));
        return (HostedApiModel) ServerModels.open(s.withRetryPolicy(Duration.ofSeconds(10), 3, Duration.ofMillis(10), Duration.ofSeconds(1)),
                name -> name.equals(KEY_ENV) ? key : null);
    }

    @Test
    void scoresTokenByTokenMarkedApproximateAndCountsTheCost() {
        try (FakeOpenAi server = new FakeOpenAi(KEY); HostedApiModel model = open(server, KEY)) {
            String answer = model.generate(SCENE, Runs.PROMPT, 4).text();
            assertThat(model.cost().requests()).isEqualTo(1);
            List<Integer> targets = TargetSelection.all(model.answerTokens(Runs.PROMPT, answer));
            assertThat(targets).hasSize(4);
            RgbImage black = RgbImage.filled(SCENE.width(), SCENE.height(), 0);
            double[][] remote;
            HostedApiTokenScorer scorer = model.scorer(Runs.PROMPT, answer, targets);
            assertThat(scorer.requestsFor(2)).isEqualTo(8);
            HostedApiCost estimate = scorer.estimateFor(2);
            assertThat(estimate.requests()).isEqualTo(8);
            assertThat(estimate.promptTokens()).isEqualTo(8 * model.cost().promptTokens());
            remote = scorer.score(List.of(SCENE, black));
            assertThat(scorer.cost().requests()).isEqualTo(8);
            assertThat(scorer.description().approximate()).isTrue();
            assertThat(scorer.description().precision()).contains("8 requests");

            // where the target is among the top 20 of 28 tokens the number is the model's own; elsewhere 0, counted
            TinyModel tiny = TinyModel.get();
            double[][] exact;
            try (TokenScorer onnx = tiny.model.scorer(Runs.PROMPT, answer, targets)) {
                exact = onnx.score(List.of(SCENE, black));
            }
            int zeros = 0;
            for (int i = 0; i < 2; i++) {
                for (int t = 0; t < targets.size(); t++) {
                    if (remote[i][t] == 0) {
                        zeros++;
                    } else {
                        assertThat(remote[i][t]).isCloseTo(exact[i][t], within(1e-9));
                    }
                }
            }
            assertThat(scorer.cost().zeroProbabilityEntries()).isEqualTo(zeros);
            assertThat(scorer.cost().promptTokens()).isPositive();
            assertThat(model.cost().requests()).isEqualTo(9);

            Explanation e = Runs.explain(model, SCENE, answer, TargetSelection::all, Runs.grid(2, 2, SearchKind.FULL));
            assertThat(e.ordering().approximate()).isTrue();
            assertThat(e.provenance().backend()).isEqualTo("openai");
            assertThat(e.provenance().precision()).contains("approximate")
                    .contains(e.cost().forwardPasses() * targets.size() + " requests");
            java.util.Map<String, Object> stats = e.provenance().scorerStatistics();
            assertThat(stats).containsEntry("requests", e.cost().forwardPasses() * targets.size())
                    .containsKeys("tokensBilled", "zeroProbabilityEntries");
            System.out.printf(Locale.ROOT, "hosted API: 2x2 full greedy, %d images x %d targets; provenance precision: %s%n",
                    e.cost().forwardPasses(), targets.size(), e.provenance().precision());
        }
    }

    @Test
    void sendsSeveralImagesInOrderInEveryRequestAndScoresThemAsTheModelDoes() {
        List<RgbImage> images = MultiImageServerTest.IMAGES;
        io.github.eagle4j.FrameLayout frames = io.github.eagle4j.FrameLayout.of(images);
        try (FakeOpenAi server = new FakeOpenAi(KEY); HostedApiModel model = open(server, KEY)) {
            TinyModel tiny = TinyModel.get();
            String answer = model.generate(images, Runs.PROMPT, 24).text();
            assertThat(answer).isEqualTo(tiny.model.generate(images, Runs.PROMPT, 24).text());
            List<Integer> targets = TargetSelection.all(model.answerTokens(Runs.PROMPT, answer));
            RgbImage canvas = frames.compose(images);
            // the second image blacked: only a scorer that cuts the canvas and sends both images sees the difference
            RgbImage secondBlack = frames.compose(List.of(images.get(0), RgbImage.filled(images.get(1).width(),
                    images.get(1).height(), 0)));
            server.imagesPerRequest.clear();
            double[][] remote;
            try (HostedApiTokenScorer scorer = model.scorer(Runs.PROMPT, answer, targets, frames)) {
                assertThat(scorer.frames()).contains(frames);
                remote = scorer.score(List.of(canvas, secondBlack));
            }
            assertThat(server.imagesPerRequest).hasSize(2 * targets.size()).containsOnly(2);
            double[][] exact;
            try (TokenScorer onnx = tiny.model.scorer(Runs.PROMPT, answer, targets, frames)) {
                exact = onnx.score(List.of(canvas, secondBlack));
            }
            int listed = 0;
            for (int i = 0; i < 2; i++) {
                for (int t = 0; t < targets.size(); t++) {
                    if (remote[i][t] != 0) {
                        listed++;
                        assertThat(remote[i][t]).as("image %d target %d", i, t).isCloseTo(exact[i][t], within(1e-9));
                    }
                }
            }
            assertThat(listed).as("targets among the top logprobs").isGreaterThan(targets.size());
            assertThat(remote[0]).isNotEqualTo(remote[1]);
            // a scorer for one image refuses nothing but sends one image part
            server.imagesPerRequest.clear();
            try (HostedApiTokenScorer one = model.scorer(Runs.PROMPT, answer, targets, io.github.eagle4j.FrameLayout.of(List.of(SCENE)))) {
                one.score(List.of(SCENE));
            }
            assertThat(server.imagesPerRequest).containsOnly(1);
        }
    }

    @Test
    void dropByTextDeletesTheRemovedWordsWithTheSpaceBeforeThem() {
        String prompt = "Is there a red circle?";
        List<io.github.eagle4j.text.PromptMessage> messages = List.of(
                new io.github.eagle4j.text.PromptMessage(io.github.eagle4j.text.MessageRole.SYSTEM, "Answer briefly."),
                new io.github.eagle4j.text.PromptMessage(io.github.eagle4j.text.MessageRole.USER, prompt));
        DropByText drop = new DropByText(messages);
        List<io.github.eagle4j.text.PromptToken> words = drop.promptTokens();
        assertThat(words).extracting(w -> messages.get(w.message()).text().substring(w.charStart(), w.charEnd()))
                .containsExactly("Answer", "briefly", ".", "Is", "there", "a", "red", "circle", "?");
        assertThat(words).extracting(io.github.eagle4j.text.PromptToken::position).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8);
        List<io.github.eagle4j.text.TextSpan> spans = io.github.eagle4j.text.SpanSplitter.split(messages, words,
                io.github.eagle4j.text.SpanMode.WORDS);
        assertThat(prompts(drop.masked(spans, keptAllBut(9, 6)))).containsExactly("Answer briefly.", "Is there a circle?");
        assertThat(prompts(drop.masked(spans, keptAllBut(9, 7)))).containsExactly("Answer briefly.", "Is there a red?");
        assertThat(prompts(drop.masked(spans, keptAllBut(9, 1, 3, 4)))).containsExactly("Answer.", "a red circle?");
        assertThat(prompts(drop.masked(spans, keptAllBut(9, 3, 4, 5, 6, 7)))).containsExactly("Answer briefly.", "?");
        assertThat(prompts(drop.masked(spans, keptAllBut(9, 0, 1, 2, 3, 4, 5, 6, 7, 8)))).containsExactly("", "");
        assertThat(drop.masked(spans, keptAllBut(9))).isEqualTo(messages);
    }

    private static List<String> prompts(List<io.github.eagle4j.text.PromptMessage> messages) {
        return messages.stream().map(io.github.eagle4j.text.PromptMessage::text).toList();
    }

    private static java.util.BitSet keptAllBut(int spans, int... removed) {
        java.util.BitSet kept = new java.util.BitSet();
        kept.set(0, spans);
        for (int r : removed) {
            kept.clear(r);
        }
        return kept;
    }

    @Test
    void textRegionsDropWordsByTextAndScoreAsTheModelReadsThePromptWithoutThem() {
        String prompt = "Is there a red circle?";
        try (FakeOpenAi server = new FakeOpenAi(KEY); HostedApiModel model = open(server, KEY)) {
            TinyModel tiny = TinyModel.get();
            String answer = model.generate(SCENE, prompt, 4).text();
            List<Integer> targets = List.of(0);
            HostedApiTokenScorer scorer = model.scorer(prompt, answer, targets);
            io.github.eagle4j.TextExplainer explainer = new io.github.eagle4j.TextExplainer(
                    io.github.eagle4j.ExplainOptions.builder().search(SearchKind.FULL).build(),
                    io.github.eagle4j.text.SpanMode.WORDS, io.github.eagle4j.text.TextMask.DROP);
            List<io.github.eagle4j.text.TextSpan> spans = explainer.spans(scorer, SCENE.width(), SCENE.height());
            assertThat(spans).extracting(io.github.eagle4j.text.TextSpan::text).containsExactly("Is", "there", "a", "red", "circle", "?");
            List<java.util.BitSet> kept = List.of(keptAllBut(6), keptAllBut(6, 3), keptAllBut(6, 4), keptAllBut(6, 0, 1, 2),
                    keptAllBut(6, 0, 1, 2, 3, 4, 5));
            double[][] remote = scorer.scoreText(io.github.eagle4j.text.TextMaskBatch.onImage(SCENE,
                    io.github.eagle4j.text.TextMask.DROP, spans, kept));
            List<String> prompts = List.of(prompt, "Is there a circle?", "Is there a red?", "red circle?");
            // every word dropped: the user turn holds the image alone (the API refuses an empty text part with 400)
            assertThat(remote[4][0]).isBetween(0.0, 1.0);
            for (int i = 0; i < prompts.size(); i++) {
                double exact;
                try (TokenScorer onnx = tiny.model.scorer(prompts.get(i), answer, targets)) {
                    exact = onnx.score(List.of(SCENE))[0][0];
                }
                assertThat(remote[i][0]).as("'%s'", prompts.get(i)).isCloseTo(exact, within(1e-9));
            }
            assertThat(remote[1][0]).isNotCloseTo(remote[0][0], within(1e-6));

            io.github.eagle4j.text.TextExplanation e = explainer.explain(SCENE, scorer);
            assertThat(e.order()).hasSize(6);
            assertThat(e.provenance().segmentation().settings()).containsEntry("textMasking", DropByText.DESCRIPTION);
            assertThat(e.provenance().precision()).contains("approximate");

            io.github.eagle4j.TextExplainer pad = new io.github.eagle4j.TextExplainer(
                    io.github.eagle4j.ExplainOptions.builder().build(), io.github.eagle4j.text.SpanMode.WORDS,
                    io.github.eagle4j.text.TextMask.PAD);
            assertThatThrownBy(() -> pad.spans(scorer, SCENE.width(), SCENE.height())).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("backend openai can mask prompt text only with [drop]");
        }
    }

    @Test
    void aConversationIsSentAsTheApisMessagesAndItsWordsAreTextRegions() {
        String question = "Is there a red circle?";
        try (FakeOpenAi server = new FakeOpenAi(KEY); HostedApiModel owner = open(server, KEY)) {
            TinyModel tiny = TinyModel.get();
            String earlier = tiny.model.generate(SCENE, Runs.PROMPT, 24).text();
            List<io.github.eagle4j.text.PromptMessage> history = List.of(
                    new io.github.eagle4j.text.PromptMessage(io.github.eagle4j.text.MessageRole.USER, Runs.PROMPT),
                    new io.github.eagle4j.text.PromptMessage(io.github.eagle4j.text.MessageRole.ASSISTANT, earlier));
            HostedApiModel model = owner.withHistory(history);
            io.github.eagle4j.VisionLanguageModel local = tiny.model.withHistory(history);
            String answer = model.generate(SCENE, question, 4).text();
            assertThat(answer).isEqualTo(local.generate(SCENE, question, 4).text());
            List<Integer> targets = List.of(0);
            HostedApiTokenScorer scorer = model.scorer(question, answer, targets);
            assertThat(scorer.task().history()).isEqualTo(history);
            io.github.eagle4j.TextExplainer explainer = new io.github.eagle4j.TextExplainer(
                    io.github.eagle4j.ExplainOptions.builder().build(), io.github.eagle4j.text.SpanMode.WORDS,
                    io.github.eagle4j.text.TextMask.DROP);
            List<io.github.eagle4j.text.TextSpan> spans = explainer.spans(scorer, SCENE.width(), SCENE.height());
            assertThat(spans.get(0).text()).isEqualTo("Describe");
            assertThat(spans.get(0).role()).isEqualTo(io.github.eagle4j.text.MessageRole.USER);
            int m = spans.size();
            double[][] remote = scorer.scoreText(io.github.eagle4j.text.TextMaskBatch.onImage(SCENE,
                    io.github.eagle4j.text.TextMask.DROP, spans, List.of(keptAllBut(m), keptAllBut(m, 0))));
            List<List<io.github.eagle4j.text.PromptMessage>> localHistories = List.of(history, List.of(
                    new io.github.eagle4j.text.PromptMessage(io.github.eagle4j.text.MessageRole.USER, "the image."), history.get(1)));
            for (int i = 0; i < 2; i++) {
                double exact;
                try (TokenScorer onnx = tiny.model.withHistory(localHistories.get(i)).scorer(question, answer, targets)) {
                    exact = onnx.score(List.of(SCENE))[0][0];
                }
                assertThat(remote[i][0]).as("entry %d", i).isCloseTo(exact, within(1e-9));
            }
            assertThat(remote[1][0]).as("the history word matters").isNotEqualTo(remote[0][0]);
            model.close(); // a view: the owner still answers
            assertThat(owner.generate(SCENE, question, 4).text()).isNotEmpty();
            assertThat(owner.cost().requests()).isEqualTo(model.cost().requests()).isGreaterThanOrEqualTo(4);
        }
    }

    @Test
    void apiKeyAppearsInNoLogLineNoMessageAndNoOutputFile() throws IOException {
        List<String> lines = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                String m = r.getMessage();
                if (r.getParameters() != null) {
                    m = java.text.MessageFormat.format(m, r.getParameters());
                }
                lines.add(r.getLoggerName() + " " + m + (r.getThrown() == null ? "" : " " + r.getThrown()));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("io.github.eagle4j");
        Level old = root.getLevel();
        root.setLevel(Level.ALL);
        root.addHandler(capture);
        List<String> texts = new ArrayList<>();
        try (FakeOpenAi server = new FakeOpenAi(KEY)) {
            // a 503 and a dropped connection make the pool log retries
            server.server.faults = (path, n) -> n == 2 ? LoopbackServer.Fault.status(503) : n == 5 ? LoopbackServer.Fault.drop()
                    : LoopbackServer.Fault.NONE;
            try (HostedApiModel model = open(server, KEY)) {
                VisionLanguageModel.Generation g = model.generate(SCENE, Runs.PROMPT, 3);
                Explanation e = Runs.explain(model, SCENE, g.text(), TargetSelection::all, Runs.grid(2, 2, SearchKind.LAZY));
                Files.createDirectories(dir.resolve("out"));
                ExplanationWriter.write(e, SCENE, dir.resolve("out"), Map.of());
                texts.add(model.toString());
                texts.add(model.settings().toString());
                texts.add(model.description().toString());
                texts.add(String.valueOf(e.provenance()));
                assertThat(model.retriesSent()).isEqualTo(2);
            }
            // the server sent the key it was given: the test is not vacuous
            assertThat(server.server.received.get(0).headers().get("Authorization")).containsExactly("Bearer " + KEY);

            // a wrong key: the server echoes it in its error; the message names the variable, never the value
            String wrong = "sk-wrong-0000-ECHOED-BACK-1234";
            assertThatThrownBy(() -> {
                try (HostedApiModel m = open(server, wrong)) {
                    m.generate(SCENE, Runs.PROMPT, 2);
                }
            }).isInstanceOf(InvalidInputException.class).hasMessageContaining("HTTP 401").hasMessageContaining("$" + KEY_ENV)
                    .satisfies(ex -> texts.add(ex.getMessage())).satisfies(ex -> texts.add(ex.toString()))
                    .hasMessageNotContaining(wrong);
            assertThat(lines.stream().anyMatch(l -> l.contains(wrong))).isFalse();
        } finally {
            root.removeHandler(capture);
            root.setLevel(old);
        }
        // a missing variable is named, with no value to leak
        assertThatThrownBy(() -> ServerModels.open(ServerSettings.of(ServerBackend.OPENAI, "http://127.0.0.1:9")
                .withServedModel("m").withApiKeyEnv("EAGLE4J_UNSET_VARIABLE"), n -> null))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("EAGLE4J_UNSET_VARIABLE is not set");

        assertThat(lines).as("log lines were captured").isNotEmpty();
        assertThat(lines).noneMatch(l -> l.contains(KEY));
        assertThat(texts).noneMatch(t -> t.contains(KEY));
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(Files::isRegularFile).toList();
        }
        assertThat(files).extracting(p -> p.getFileName().toString()).contains(ExplanationWriter.JSON);
        byte[] key = KEY.getBytes(StandardCharsets.UTF_8);
        for (Path f : files) {
            assertThat(indexOf(Files.readAllBytes(f), key)).as(f.toString()).isEqualTo(-1);
        }
        System.out.printf(Locale.ROOT, "api key: %d log lines, %d messages and %d output files checked%n", lines.size(), texts.size(),
                files.size());
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void answersTheApiDidNotGenerateAreSplitIntoWords() {
        try (FakeOpenAi server = new FakeOpenAi(KEY); HostedApiModel model = open(server, KEY)) {
            assertThat(model.answerTokens(Runs.PROMPT, "A cat, sitting.")).extracting(t -> t.text())
                    .containsExactly("A", " cat", ",", " sitting", ".");
            assertThat(model.answerTokens(Runs.PROMPT, "A cat, sitting.")).allMatch(t -> t.id() == -1);
        }
    }
}
