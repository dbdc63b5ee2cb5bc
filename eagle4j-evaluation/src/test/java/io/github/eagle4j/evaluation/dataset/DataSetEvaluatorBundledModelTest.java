package io.github.eagle4j.evaluation.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.eagle4j.ExplainOptions;
import io.github.eagle4j.VisionLanguageModel;
import io.github.eagle4j.evaluation.Baselines;
import io.github.eagle4j.onnx.OnnxModelProvider;
import io.github.eagle4j.regions.GridSegmenter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A data-set evaluation through the library alone (no CLI) on the bundled tiny model: every item written, a run
 * stopped after its first item resumes to the same summary, and a finished folder needs no model.
 */
class DataSetEvaluatorBundledModelTest {
    static final Path MODEL = Path.of("..", "models", "tiny-shapes-llava");
    static final Path MANIFEST = Path.of("..", "examples", "scenes", "manifest.jsonl");

    @TempDir
    Path dir;

    /** Stops the run after its first finished item, as a kill would. */
    static final class Stop extends RuntimeException {
        Stop() {
            super("stopped by the test");
        }
    }

    static EvaluationConfig config() {
        return EvaluationConfig.of(ExplainOptions.builder().segmenter(new GridSegmenter(2, 3)).build())
                .withCompare(List.of(Baselines.OCCLUSION, Baselines.RANDOM)).withSeed(7);
    }

    static Supplier<VisionLanguageModel> opener(AtomicInteger opened) {
        return () -> {
            opened.incrementAndGet();
            return new OnnxModelProvider().open(MODEL.toString(), Map.of());
        };
    }

    static ObjectNode withoutTiming(JsonNode summary) {
        ObjectNode copy = (ObjectNode) summary.deepCopy();
        copy.remove("timing");
        return copy;
    }

    @Test
    void evaluatesResumesAndSummarisesThroughTheApi() throws Exception {
        Manifest manifest = Manifest.read(MANIFEST);
        Shard shard = new Shard(1, 16); // items 0, 16, 32
        ModelIdentity id = ModelIdentity.of(MODEL.toString(), null, null, null);
        assertThat(id.name()).isEqualTo("tiny-shapes-llava");
        assertThat(id.digest()).startsWith("sha256:");
        AtomicInteger opened = new AtomicInteger();
        DataSetEvaluator evaluator = new DataSetEvaluator(config(), id, opener(opened));

        Path whole = dir.resolve("whole");
        List<String> finished = new ArrayList<>();
        ObjectNode summary = evaluator.run(manifest, shard, whole, new EvaluationListener() {
            @Override
            public void itemFinished(Manifest.Item item, JsonNode result, int done, int items) {
                finished.add(item.id() + " " + done + "/" + items);
            }
        });
        assertThat(finished).containsExactly("scene-001 1/3", "scene-017 2/3", "scene-033 3/3");
        assertThat(summary.get("evaluated").asInt()).isEqualTo(3);
        assertThat(summary.get("shard").asText()).isEqualTo("1/16");
        assertThat(summary.get("settings").get("compare").toString()).isEqualTo("[\"random\",\"occlusion\"]");
        assertThat(summary.get("methods").get("eagle").get("pointingGame").get("mask").get("items").asInt()).isEqualTo(3);
        assertThat(new ObjectMapper().readTree(whole.resolve("summary.json").toFile())).isEqualTo(summary);
        assertThat(whole.resolve("report.html")).exists();
        for (String f : List.of("explanation.json", "result.json", "baselines.json", "overlay.png", "report.html")) {
            assertThat(whole.resolve("items/scene-017").resolve(f)).exists();
        }

        // a run stopped after its first item, then resumed: the same summary, the finished item not redone
        Path stopped = dir.resolve("stopped");
        assertThatThrownBy(() -> evaluator.run(manifest, shard, stopped, new EvaluationListener() {
            @Override
            public void itemFinished(Manifest.Item item, JsonNode result, int done, int items) {
                throw new Stop();
            }
        })).isInstanceOf(Stop.class);
        assertThat(stopped.resolve("items/scene-001/result.json")).exists();
        assertThat(stopped.resolve("summary.json")).doesNotExist();
        int[] started = new int[4];
        ObjectNode resumed = evaluator.run(manifest, shard, stopped, new EvaluationListener() {
            @Override
            public void started(int items, int done, int leftovers, int toGo) {
                started[0] = items;
                started[1] = done;
                started[2] = leftovers;
                started[3] = toGo;
            }
        });
        assertThat(started).containsExactly(3, 1, 0, 2);
        assertThat(withoutTiming(resumed)).isEqualTo(withoutTiming(summary));

        // a finished folder is summarised again without opening the model
        int before = opened.get();
        ObjectNode again = evaluator.run(manifest, shard, whole, EvaluationListener.NONE);
        assertThat(opened.get()).isEqualTo(before);
        assertThat(withoutTiming(again)).isEqualTo(withoutTiming(summary));
    }

    @Test
    void shardsMergeThroughTheApi() throws Exception {
        // the first two shipped items, copied with their image and mask
        Path data = Files.createDirectories(dir.resolve("data"));
        List<String> lines = Files.readAllLines(MANIFEST).subList(0, 2);
        for (String line : lines) {
            JsonNode item = new ObjectMapper().readTree(line);
            for (String field : List.of("image", "mask")) {
                String name = item.get(field).asText();
                Files.copy(MANIFEST.resolveSibling(name), data.resolve(name));
            }
        }
        Manifest two = Manifest.read(Files.write(data.resolve("m.jsonl"), lines));
        assertThat(two.items()).hasSize(2);
        DataSetEvaluator evaluator = new DataSetEvaluator(config(), ModelIdentity.of(MODEL.toString(), null, null, null),
                opener(new AtomicInteger()));
        ObjectNode whole = evaluator.run(two, null, dir.resolve("whole"), EvaluationListener.NONE);
        evaluator.run(two, new Shard(1, 2), dir.resolve("a"), EvaluationListener.NONE);
        evaluator.run(two, new Shard(2, 2), dir.resolve("b"), EvaluationListener.NONE);
        int[] imported = new int[1];
        ObjectNode merged = DataSetEvaluator.merge(List.of(dir.resolve("a"), dir.resolve("b")), dir.resolve("merged"),
                new EvaluationListener() {
                    @Override
                    public void merged(int count) {
                        imported[0] = count;
                    }
                });
        assertThat(imported[0]).isEqualTo(2);
        assertThat(withoutTiming(merged)).isEqualTo(withoutTiming(whole));
        assertThat(merged.get("complete").asBoolean()).isTrue();
    }
}
