package io.github.eagle4j.report;

import io.github.eagle4j.ExplainOptions;
import io.github.eagle4j.Explainer;
import io.github.eagle4j.Explanation;
import io.github.eagle4j.FrameLayout;
import io.github.eagle4j.RegionSet;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.ScoringTask;
import io.github.eagle4j.Target;
import io.github.eagle4j.TokenScorer;
import io.github.eagle4j.imageio.LabelMaps;
import io.github.eagle4j.regions.FrameSegmenter;
import io.github.eagle4j.regions.GridSegmenter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class FrameFilesTest {
    @Test
    void writesOneLabelMapAndOneOverlayPerImageAndTheFramesField(@TempDir Path dir) {
        RgbImage first = ReportFixtures.scene();
        RgbImage second = RgbImage.filled(40, 30, 0x808080);
        FrameLayout frames = FrameLayout.of(List.of(first, second));
        RgbImage canvas = frames.compose(List.of(first, second));
        ScoringTask task = new ScoringTask("p", "a red", List.of("a", "red"), List.of(new Target(1, "red", 5)));
        // the word rests on the red pixels, which only the first image has
        TokenScorer scorer = new TokenScorer() {
            @Override
            public ScoringTask task() {
                return task;
            }

            @Override
            public double[][] score(List<RgbImage> images) {
                double[][] out = new double[images.size()][1];
                for (int i = 0; i < images.size(); i++) {
                    int red = 0;
                    for (int k = 0; k < images.get(i).pixelCount(); k++) {
                        red += images.get(i).rgbAt(k) == 0xDC2828 ? 1 : 0;
                    }
                    out[i][0] = 0.05 + 0.9 * red / 1024.0;
                }
                return out;
            }
        };
        RegionSet regions = new FrameSegmenter(frames, new GridSegmenter(2, 2)).segment(canvas);
        Explanation e = new Explainer(ExplainOptions.builder().segmenter(new GridSegmenter(2, 2)).build())
                .explain(canvas, regions, scorer, (a, b, c) -> { });
        Map<String, Object> field = FrameFiles.write(e, frames, canvas, dir, "red");
        assertThat(field.get("count")).isEqualTo(2);
        assertThat(field.get("regionFrames")).isEqualTo(List.of(0, 0, 0, 0, 1, 1, 1, 1));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> images = (List<Map<String, Object>>) field.get("images");
        assertThat(images.get(1)).containsEntry("width", 40).containsEntry("height", 30).containsEntry("x", first.width())
                .containsEntry("firstRegion", 4).containsEntry("regionCount", 4);
        assertThat(e.curves().order()[0]).isLessThan(4);
        // the per-image label map replays the image's own regions
        LabelMaps.LabelMap map = LabelMaps.read(dir.resolve("regions/frame-01.png"));
        RegionSet own = RegionSet.fromLabels(map.width(), map.height(), map.labels());
        assertThat(own.width()).isEqualTo(40);
        assertThat(own.regionCount()).isEqualTo(4);
        assertThat(Files.exists(dir.resolve("frames/overlay-00.png"))).isTrue();
        assertThat(Files.exists(dir.resolve("frames/overlay-01.png"))).isTrue();
    }
}
