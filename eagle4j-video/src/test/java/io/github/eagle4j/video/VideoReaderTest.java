package io.github.eagle4j.video;

import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.VideoSampling;
import io.github.eagle4j.imageio.ImageFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The library reads a video without the CLI: the committed H.264 fixture (fixtures/video/moving.mp4, 10 frames at 4 fps)
 * decoded and sampled as the Qwen-VL fixture models' video processor samples it, a folder of frames, and bad input named
 * by its API input.
 */
class VideoReaderTest {
    static final Path VIDEO = Path.of("../fixtures/video/moving.mp4");
    /** The fixture models' video processor: 2 fps, 4..16 frames, temporal patches of 2. */
    static final VideoSampling SAMPLING = new VideoSampling(true, 2.0, null, 2, 4, 16);
    @TempDir
    Path dir;

    @Test
    void samplesTheFramesTheProcessorTakes() {
        VideoDecoder decoder = VideoDecoder.open(VIDEO);
        assertThat(decoder.totalFrames()).isEqualTo(10);
        assertThat(decoder.fps()).isCloseTo(4.0, within(1e-9));
        SampledVideo v = VideoReader.read(VIDEO, SAMPLING, null, null);
        // 10 frames at 4 fps, 2 fps asked: frames 0, 2, 5, 7 (transformers' Qwen2VLVideoProcessor.sample_frames)
        assertThat(v.clip().sourceIndices()).containsExactly(0, 2, 5, 7);
        assertThat(v.clip().timestamps()).containsExactly(0.0, 0.5, 1.25, 1.75);
        assertThat(v.clip().sampledFps()).isCloseTo(1.6, within(1e-12));
        assertThat(v.frames()).hasSize(4).allSatisfy(f -> assertThat(f.width() * 1000 + f.height()).isEqualTo(50_042));
        assertThat(v.sourceFields()).containsEntry("sourceKind", "file").containsEntry("sourceFrames", 10);
        // the decoded frames are the ones asked for: frame 5 of a sampling equals frame 5 decoded alone
        RgbImage five = decoder.frames(new int[]{5}).get(0);
        assertThat(v.frames().get(2).rgbAt(17 * 50 + 20)).isEqualTo(five.rgbAt(17 * 50 + 20));
        assertThat(VideoReader.read(VIDEO, SAMPLING, 6, null).frames()).hasSize(6);
    }

    @Test
    void readsAFolderOfFramesInNameOrder() throws IOException {
        for (int k = 0; k < 4; k++) {
            ImageFiles.writePng(RgbImage.filled(8, 6, 0x101010 * (k + 1)), dir.resolve(String.format("f%02d.png", k)));
        }
        SampledVideo v = VideoReader.read(dir, SAMPLING, null, 2.0);
        assertThat(v.frames()).extracting(f -> f.rgbAt(0)).containsExactly(0x101010, 0x202020, 0x303030, 0x404040);
        assertThat(v.clip().timestamps()).containsExactly(0.0, 0.5, 1.0, 1.5);
        assertThat(v.sourceKind()).isEqualTo("folder");
    }

    @Test
    void badInputNamesTheApiInput() throws IOException {
        Path garbage = dir.resolve("garbage.mp4");
        Files.writeString(garbage, "not a video ".repeat(50));
        assertThatThrownBy(() -> VideoReader.read(garbage, SAMPLING, null, null)).isInstanceOfSatisfying(InvalidInputException.class,
                e -> assertThat(e.input()).isEqualTo(VideoDecoder.VIDEO));
        assertThatThrownBy(() -> VideoReader.read(dir.resolve("missing.mp4"), SAMPLING, null, null))
                .hasMessageContaining("no such file or folder");
        assertThatThrownBy(() -> VideoReader.read(VIDEO, SAMPLING, 0, null)).isInstanceOfSatisfying(InvalidInputException.class,
                e -> assertThat(e.describedAs("frames=")).startsWith("frames= must be at least 1"));
        for (int k = 0; k < 18; k++) {
            ImageFiles.writePng(RgbImage.filled(8, 6, 0), dir.resolve(String.format("%02d.png", k)));
        }
        assertThatThrownBy(() -> VideoReader.read(dir, SAMPLING, null, null)).hasMessageContaining("at most 16");
        assertThat(VideoReader.read(dir, SAMPLING, 4, null).clip().sourceIndices()).containsExactly(0, 4, 9, 13);
    }
}
