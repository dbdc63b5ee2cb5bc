package io.github.eagle4j.cli;

import io.github.eagle4j.evaluation.dataset.Manifest;
import io.github.eagle4j.imageio.ImageFiles;
import io.github.eagle4j.imageio.MaskFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The example-scenes tool writes a valid manifest whose files match the scene renderer. */
class ExampleScenesTest {
    @TempDir
    Path dir;

    @Test
    void manifestItemsPointAtTheirObject() {
        int status = new picocli.CommandLine(new ExampleScenes()).execute("--out", dir.toString(), "--seeds", "1-6");
        assertThat(status).isZero();
        Manifest m = Manifest.read(dir.resolve("manifest.jsonl"));
        assertThat(m.items()).hasSize(6);
        for (Manifest.Item item : m.items()) {
            long seed = Long.parseLong(item.id().replaceAll("\\D", ""));
            ShapeScene scene = ShapeScene.render(seed);
            assertThat(ImageFiles.read(item.image())).isEqualTo(scene.image());
            assertThat(item.answer()).isEqualTo(scene.caption());
            assertThat(item.prompt()).isEqualTo("Describe the image.");
            boolean[] mask = MaskFiles.read(item.mask(), ShapeScene.SIZE, ShapeScene.SIZE);
            ShapeScene.SceneObject target = scene.objects().stream()
                    .filter(o -> java.util.Arrays.equals(o.mask(), mask)).findFirst().orElseThrow();
            assertThat(item.targetWord()).isEqualTo(target.colour());
            assertThat(item.box()).containsExactly(target.box());
            // the n-th occurrence of the colour word in the caption is this object's
            String[] words = scene.caption().split(" ");
            int seen = 0;
            for (int w = 0; w + 1 < words.length; w++) {
                if (words[w].equals(target.colour())) {
                    seen++;
                    if (seen == item.targetOccurrence()) {
                        assertThat(words[w + 1]).isEqualTo(target.shape());
                    }
                }
            }
        }
    }
}
