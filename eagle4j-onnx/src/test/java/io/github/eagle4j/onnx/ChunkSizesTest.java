package io.github.eagle4j.onnx;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the ONNX scorer splits one call's images into model runs: every parallel run gets the same number of images
 * (± 1), no run exceeds the batch size, and no more runs are made than the batch size requires.
 */
class ChunkSizesTest {
    @Test
    void eighteenImagesAtBatchEightOnTwoRunsGoAsFourNearlyEqualChunks() {
        assertThat(OnnxTokenScorer.chunkSizes(18, 8, 2)).containsExactly(5, 5, 4, 4);
        assertThat(OnnxTokenScorer.chunkSizes(16, 8, 2)).containsExactly(8, 8);
        assertThat(OnnxTokenScorer.chunkSizes(1, 8, 2)).containsExactly(1);
        assertThat(OnnxTokenScorer.chunkSizes(50, 32, 2)).containsExactly(25, 25);
    }

    @Test
    void everyCountSplitsEvenlyWithinTheBatchSize() {
        for (int parallel = 1; parallel <= 4; parallel++) {
            for (int batch = 1; batch <= 33; batch++) {
                for (int count = 1; count <= 200; count++) {
                    int[] sizes = OnnxTokenScorer.chunkSizes(count, batch, parallel);
                    String what = count + " images, batch " + batch + ", " + parallel + " runs";
                    assertThat(Arrays.stream(sizes).sum()).as(what).isEqualTo(count);
                    int max = Arrays.stream(sizes).max().orElseThrow();
                    int min = Arrays.stream(sizes).min().orElseThrow();
                    assertThat(max).as(what).isLessThanOrEqualTo(batch);
                    assertThat(max - min).as(what).isLessThanOrEqualTo(1);
                    int perRun = (count + parallel * batch - 1) / (parallel * batch);
                    assertThat(sizes.length).as(what).isEqualTo(Math.min(count, parallel * perRun));
                    for (int c = 1; c < sizes.length; c++) {
                        assertThat(sizes[c]).as(what + ": larger chunks first").isLessThanOrEqualTo(sizes[c - 1]);
                    }
                }
            }
        }
    }
}
