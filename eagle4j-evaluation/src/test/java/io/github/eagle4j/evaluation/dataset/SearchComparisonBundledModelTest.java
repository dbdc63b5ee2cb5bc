package io.github.eagle4j.evaluation.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.eagle4j.ExplainOptions;
import io.github.eagle4j.evaluation.Baselines;
import io.github.eagle4j.regions.GridSegmenter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code evaluate --compare full,efficient,lazy,fast,occlusion} through the library on the bundled model: the search
 * kinds run on the same items and regions, share scored images, and the summary measures every method against
 * full greedy (ratios of the means, the tail below 95 % of full greedy's insertion AUC); a stopped run resumes to
 * the same summary.
 */
class SearchComparisonBundledModelTest {
    @TempDir
    Path dir;

    static EvaluationConfig config() {
        return EvaluationConfig.of(ExplainOptions.builder().segmenter(new GridSegmenter(2, 3)).build())
                .withCompare(List.of(Baselines.OCCLUSION, "fast", "lazy", "full", "efficient")).withSeed(3);
    }

    @Test
    void searchKindsAreMethodsMeasuredAgainstFullGreedy() throws Exception {
        Manifest manifest = Manifest.read(DataSetEvaluatorBundledModelTest.MANIFEST);
        Shard shard = new Shard(1, 16); // items 0, 16, 32
        DataSetEvaluator evaluator = new DataSetEvaluator(config(),
                ModelIdentity.of(DataSetEvaluatorBundledModelTest.MODEL.toString(), null, null, null),
                DataSetEvaluatorBundledModelTest.opener(new AtomicInteger()));
        Path out = dir.resolve("out");
        ObjectNode summary = evaluator.run(manifest, shard, out, EvaluationListener.NONE);

        List<String> names = new ArrayList<>();
        summary.get("methods").fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactly("eagle", "full", "efficient", "lazy", "fast", "occlusion");
        assertThat(summary.get("reference").asText()).isEqualTo("full");

        ObjectMapper mapper = new ObjectMapper();
        int tail = 0;
        double lazyIns = 0;
        double fullIns = 0;
        for (String id : List.of("scene-001", "scene-017", "scene-033")) {
            JsonNode methods = mapper.readTree(out.resolve("items").resolve(id).resolve("result.json").toFile())
                    .get("methods");
            // the run's own search was full greedy: compared 'full' is that explanation, computed once
            assertThat(methods.get("full").get("insertionAuc")).isEqualTo(methods.get("eagle").get("insertionAuc"));
            assertThat(methods.get("full").get("forwardPasses").asLong()).isEqualTo(6 * 7);
            assertThat(methods.get("full").get("imagesComputed").asLong()).isZero();
            // efficient ran first on an empty cache; lazy and fast reuse at least its step-1 images
            JsonNode efficient = methods.get("efficient");
            assertThat(efficient.get("imagesComputed").asLong()).isEqualTo(efficient.get("forwardPasses").asLong());
            for (String m : List.of("lazy", "fast")) {
                assertThat(methods.get(m).get("imagesComputed").asLong()).isLessThan(methods.get(m).get("forwardPasses").asLong());
            }
            double li = methods.get("lazy").get("insertionAuc").asDouble();
            double fi = methods.get("full").get("insertionAuc").asDouble();
            lazyIns += li;
            fullIns += fi;
            tail += li < 0.95 * fi ? 1 : 0;
        }
        JsonNode lazy = summary.get("methods").get("lazy").get("vsReference");
        assertThat(lazy.get("reference").asText()).isEqualTo("full");
        assertThat(lazy.get("items").asInt()).isEqualTo(3);
        assertThat(lazy.get("tailItems").asInt()).isEqualTo(tail);
        assertThat(lazy.get("insertionAucRatio").asDouble()).isEqualTo(lazyIns / fullIns);
        JsonNode full = summary.get("methods").get("full");
        assertThat(full.get("imagesPerItem").asDouble()).isEqualTo(42.0);
        assertThat(full.get("vsReference").get("insertionAucRatio").asDouble()).isEqualTo(1.0);
        assertThat(full.get("vsReference").get("tailShare").asDouble()).isZero();
        // occlusion scores N + 1 images plus the 2N of its curves
        assertThat(summary.get("methods").get("occlusion").get("vsReference").get("imagesRatio").asDouble())
                .isEqualTo((6 + 1 + 2 * 6) / 42.0);
        assertThat(EvaluationSummary.table(summary)).contains("against full").contains("tail");

        // stopped after its first item and resumed: the same summary
        Path stopped = dir.resolve("stopped");
        assertThatThrownBy(() -> evaluator.run(manifest, shard, stopped, new EvaluationListener() {
            @Override
            public void itemFinished(Manifest.Item item, JsonNode result, int done, int items) {
                throw new DataSetEvaluatorBundledModelTest.Stop();
            }
        })).isInstanceOf(DataSetEvaluatorBundledModelTest.Stop.class);
        ObjectNode resumed = evaluator.run(manifest, shard, stopped, EvaluationListener.NONE);
        assertThat(DataSetEvaluatorBundledModelTest.withoutTiming(resumed))
                .isEqualTo(DataSetEvaluatorBundledModelTest.withoutTiming(summary));
    }

    @Test
    void eachTokenRecordsEveryTokensOwnAucsAndOverlays() throws Exception {
        Path data = java.nio.file.Files.createDirectories(dir.resolve("data"));
        java.nio.file.Files.copy(DataSetEvaluatorBundledModelTest.MANIFEST.resolveSibling("scene-002.png"),
                data.resolve("scene-002.png"));
        Manifest manifest = Manifest.read(java.nio.file.Files.writeString(data.resolve("m.jsonl"),
                "{\"id\":\"caption\",\"image\":\"scene-002.png\",\"prompt\":\"Describe the image.\","
                        + "\"answer\":\"a yellow circle\"}\n"));
        EvaluationConfig config = EvaluationConfig.of(ExplainOptions.builder().segmenter(new GridSegmenter(2, 2))
                .eachToken(true).build());
        ObjectNode summary = new DataSetEvaluator(config,
                ModelIdentity.of(DataSetEvaluatorBundledModelTest.MODEL.toString(), null, null, null),
                DataSetEvaluatorBundledModelTest.opener(new AtomicInteger()))
                .run(manifest, null, dir.resolve("out"), EvaluationListener.NONE);
        Path item = dir.resolve("out/items/caption");
        JsonNode perToken = new ObjectMapper().readTree(item.resolve("result.json").toFile())
                .get("methods").get("eagle").get("perToken");
        JsonNode explanation = new ObjectMapper().readTree(item.resolve("explanation.json").toFile());
        int targets = explanation.get("targets").size();
        assertThat(targets).isGreaterThan(1);
        assertThat(perToken).hasSize(targets);
        double ins = 0;
        for (JsonNode t : perToken) {
            assertThat(t.get("insertionAuc").asDouble()).isBetween(0.0, 1.0);
            ins += t.get("insertionAuc").asDouble();
        }
        JsonNode means = summary.get("methods").get("eagle").get("perToken");
        assertThat(means.get("tokens").asInt()).isEqualTo(targets);
        assertThat(means.get("items").asInt()).isEqualTo(1);
        assertThat(means.get("insertionAuc").asDouble()).isEqualTo(ins / targets);
        assertThat(EvaluationSummary.table(summary)).contains("per token (--each-token): " + targets + " tokens");
        try (var files = java.nio.file.Files.list(item.resolve("tokens"))) {
            assertThat(files.count()).isGreaterThanOrEqualTo(targets);
        }
    }
}
