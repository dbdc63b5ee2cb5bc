package io.github.eagle4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.VideoSampling;
import io.github.eagle4j.imageio.ImageFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static io.github.eagle4j.cli.ExplainCommandTest.eagle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code --video FILE|DIR} end to end on the Qwen-VL fixture models: the committed H.264 video (fixtures/video/moving.mp4,
 * made by fixtures/make_video.jsh from the golden frames) decoded and sampled as the model's video processor samples it,
 * a folder of frames, the per-frame outputs with timestamps, and bad input refused in one line.
 */
class ExplainVideoCommandTest {
    static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    static final Path VIDEO = REPO.resolve("fixtures/video/moving.mp4");
    static final Path GOLDEN_FRAMES = REPO.resolve("fixtures/goldens/video");
    static final String QWEN2 = "../fixtures/models/tiny-random-qwen2-vl";
    static final String QWEN25 = "../fixtures/models/tiny-random-qwen2_5-vl";
    /** The fixture models' video processor: 2 fps, 4..16 frames, temporal patches of 2. */
    static final VideoSampling SAMPLING = new VideoSampling(true, 2.0, null, 2, 4, 16);
    @TempDir
    Path dir;

    @Test
    void decodesTheVideoAndSamplesTheFramesTheProcessorTakes() {
        FrameInput in = VideoFrames.read(VIDEO, SAMPLING, null, null);
        // 10 frames at 4 fps, 2 fps asked: frames 0, 2, 5, 7 (as transformers' Qwen2VLVideoProcessor.sample_frames)
        assertThat(in.images()).hasSize(4);
        int[] want = {0, 2, 5, 7};
        for (int k = 0; k < 4; k++) {
            RgbImage decoded = in.images().get(k);
            RgbImage source = ImageFiles.read(GOLDEN_FRAMES.resolve(String.format("tiny-random-qwen2-vl-sampled-%02d.png", want[k])));
            assertThat(decoded.width()).isEqualTo(50);
            assertThat(decoded.height()).isEqualTo(42);
            // H.264 is lossy: the decoded frame is close to its source frame, and farther from the other sampled ones
            double own = meanAbsDiff(decoded, source);
            assertThat(own).as("frame %d against its source", want[k]).isLessThan(12);
            for (int j : want) {
                if (j != want[k]) {
                    RgbImage other = ImageFiles.read(GOLDEN_FRAMES.resolve(String.format("tiny-random-qwen2-vl-sampled-%02d.png", j)));
                    assertThat(meanAbsDiff(decoded, other)).as("frame %d against frame %d", want[k], j).isGreaterThan(own);
                }
            }
        }
        var frames = in.clip();
        assertThat(frames.sampledFps()).isCloseTo(1.6, within(1e-12));
        assertThat(frames.timestamps()).containsExactly(0.0, 0.5, 1.25, 1.75);
        // --video-frames and --video-fps override the processor's defaults
        assertThat(VideoFrames.read(VIDEO, SAMPLING, 6, null).images()).hasSize(6);
        assertThat(VideoFrames.read(VIDEO, SAMPLING, null, 4.0).images()).hasSize(10);
    }

    @Test
    void framesWithBFramesComeBackInDisplayOrder() {
        // x264 High profile: JCodec decodes in decoding order (0, 2, 1, 4, 3, ...); the presentation times reorder them
        FrameInput in = VideoFrames.read(REPO.resolve("fixtures/video/moving-high.mp4"), SAMPLING, null, 4.0);
        assertThat(in.images()).hasSize(10);
        for (int k = 0; k < 10; k++) {
            int best = -1;
            double bestDiff = Double.MAX_VALUE;
            for (int j = 0; j < 10; j++) {
                double d = meanAbsDiff(in.images().get(k),
                        ImageFiles.read(GOLDEN_FRAMES.resolve(String.format("tiny-random-qwen2-vl-sampled-%02d.png", j))));
                if (d < bestDiff) {
                    bestDiff = d;
                    best = j;
                }
            }
            assertThat(best).as("decoded frame %d is closest to source frame", k).isEqualTo(k);
            assertThat(bestDiff).isLessThan(8);
        }
    }

    @Test
    void explainsAVideoFileWithPerFrameFilesAndTimestamps() throws IOException {
        Path out = dir.resolve("out");
        var r = eagle("explain", "--model", QWEN25, "--video", VIDEO.toString(), "--prompt", "What moves in the video?",
                "--answer", "A red circle moves to the right.", "--grid", "2x2", "--search", "lazy", "--out", out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(out.resolve("explanation.json").toFile());
        JsonNode frames = json.get("frames");
        assertThat(frames.get("count").asInt()).isEqualTo(4);
        assertThat(json.get("regionCount").asInt()).isEqualTo(16);
        assertThat(frames.get("images").get(2).get("timestamp").asDouble()).isEqualTo(1.25);
        assertThat(frames.get("images").get(2).get("sourceIndex").asInt()).isEqualTo(5);
        assertThat(frames.get("images").get(3).get("x").asInt()).isEqualTo(150);
        assertThat(frames.at("/video/sourceFrames").asInt()).isEqualTo(10);
        assertThat(frames.at("/video/sentAs").asText()).startsWith("in-process");
        assertThat(frames.at("/video/sourceFps").asDouble()).isCloseTo(4.0, within(1e-9));
        assertThat(frames.at("/video/sampledFps").asDouble()).isCloseTo(1.6, within(1e-9));
        for (int k = 0; k < 4; k++) {
            assertThat(out.resolve(String.format("regions/frame-%02d.png", k))).exists();
            assertThat(out.resolve(String.format("frames/overlay-%02d.png", k))).exists();
        }
        assertThat(ImageFiles.read(out.resolve("image.png")).width()).isEqualTo(200);
        assertThat(Files.readString(out.resolve("report.html"))).contains("frame");
    }

    @Test
    void aFolderOfFramesIsAVideoInNameOrderWithItsOwnRate() throws IOException {
        Path frames = dir.resolve("frames");
        Files.createDirectories(frames);
        for (int k = 0; k < 5; k++) {
            // names out of creation order: the folder is read by name
            Files.copy(GOLDEN_FRAMES.resolve(String.format("tiny-random-qwen2-vl-odd-%02d.png", 4 - k)),
                    frames.resolve(String.format("f%02d.png", 4 - k)));
        }
        Files.writeString(frames.resolve("notes.txt"), "not a frame");
        Path out = dir.resolve("out");
        var r = eagle("explain", "--model", QWEN2, "--video", frames.toString(), "--video-fps", "1", "--prompt",
                "Describe the video.", "--answer", "A circle and a square.", "--target-word", "circle", "--grid", "2x2",
                "--search", "lazy", "--out", out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(out.resolve("explanation.json").toFile());
        JsonNode images = json.at("/frames/images");
        assertThat(images).hasSize(5);
        for (int k = 0; k < 5; k++) {
            assertThat(images.get(k).get("timestamp").asDouble()).isEqualTo(k);
        }
        assertThat(json.at("/frames/video/sourceKind").asText()).isEqualTo("folder");
        // frame 0 of the canvas is f00.png
        RgbImage canvas = ImageFiles.read(out.resolve("image.png"));
        RgbImage f00 = ImageFiles.read(frames.resolve("f00.png"));
        assertThat(canvas.rgbAt(3)).isEqualTo(f00.rgbAt(3));

        var gen = eagle("generate", "--model", QWEN2, "--video", frames.toString(), "--prompt", "Describe the video.",
                "--max-new-tokens", "3");
        assertThat(gen.status()).as(gen.err()).isZero();
        assertThat(gen.out().lines().count()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void badVideoInputIsRefusedInOneLine() throws IOException {
        Path garbage = dir.resolve("garbage.mp4");
        Files.write(garbage, "this is not a video at all, just some text bytes".repeat(20).getBytes());
        Path truncated = dir.resolve("truncated.mp4");
        byte[] video = Files.readAllBytes(VIDEO);
        Files.write(truncated, Arrays.copyOf(video, video.length / 2));
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Path mixed = Files.createDirectories(dir.resolve("mixed"));
        ImageFiles.writePng(RgbImage.filled(48, 40, 0x808080), mixed.resolve("a.png"));
        ImageFiles.writePng(RgbImage.filled(56, 40, 0x808080), mixed.resolve("b.png"));
        Path many = Files.createDirectories(dir.resolve("many"));
        for (int k = 0; k < 18; k++) {
            ImageFiles.writePng(RgbImage.filled(48, 40, 0x101010 * (k % 15)), many.resolve(String.format("%02d.png", k)));
        }
        String[][] cases = {
                {QWEN2, garbage.toString(), "cannot decode the video"},
                {QWEN2, REPO.resolve("fixtures/video/moving.mkv").toString(), "cannot decode the video"},
                {QWEN2, truncated.toString(), "--video " + truncated},
                {QWEN2, empty.toString(), "holds no frames"},
                {QWEN2, mixed.toString(), "frame 1 is 56x40"},
                {QWEN2, many.toString(), "at most 16"},
                {"../models/tiny-shapes-llava", VIDEO.toString(), "takes no video"},
                {"../fixtures/models/tiny-random-idefics3", VIDEO.toString(), "takes no video"},
                {QWEN2, dir.resolve("missing.mp4").toString(), "no such file or folder"},
        };
        for (String[] c : cases) {
            var r = eagle("explain", "--model", c[0], "--video", c[1], "--prompt", "Describe the video.", "--answer", "A circle.",
                    "--grid", "2x2", "--out", dir.resolve("o").toString());
            assertThat(r.status()).as(c[1] + ": " + r.err()).isEqualTo(2);
            assertThat(r.err().strip()).as(c[1]).contains(c[2]).doesNotContain("\n").doesNotContain("Exception");
        }
        var both = eagle("explain", "--model", QWEN2, "--video", VIDEO.toString(), "--image", VIDEO.toString(), "--prompt", "x",
                "--answer", "y", "--out", dir.resolve("o").toString());
        assertThat(both.status()).isEqualTo(2);
        assertThat(both.err()).contains("--image and --video cannot be used together");
        var fpsAlone = eagle("generate", "--model", QWEN2, "--image", VIDEO.toString(), "--video-fps", "2", "--prompt", "x");
        assertThat(fpsAlone.status()).isEqualTo(2);
        assertThat(fpsAlone.err()).contains("--video-fps needs --video");
        var zero = eagle("generate", "--model", QWEN2, "--video", VIDEO.toString(), "--video-frames", "0", "--prompt", "x");
        assertThat(zero.status()).isEqualTo(2);
        assertThat(zero.err().strip()).contains("--video-frames must be at least 1").doesNotContain("\n");
    }

    static double meanAbsDiff(RgbImage a, RgbImage b) {
        long sum = 0;
        for (int i = 0; i < a.pixelCount(); i++) {
            int p = a.rgbAt(i);
            int q = b.rgbAt(i);
            for (int s = 0; s < 24; s += 8) {
                sum += Math.abs(((p >> s) & 0xFF) - ((q >> s) & 0xFF));
            }
        }
        return sum / (3.0 * a.pixelCount());
    }
}
