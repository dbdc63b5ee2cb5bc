package io.github.eagle4j;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Frame sampling against transformers' {@code Qwen2VLVideoProcessor.sample_frames} (5.17): the expected indices were
 * printed by fixtures/video_goldens.py's copy of it, for the fixture models' settings (2 fps, 4..16 frames, pairs).
 */
class VideoSamplingTest {
    private static final VideoSampling FIXTURE = new VideoSampling(true, 2.0, null, 2, 4, 16);

    @Test
    void theDefaultRateGivesTheProcessorsFrames() {
        assertThat(FIXTURE.indices(10, 4.0, null, null)).containsExactly(0, 2, 5, 7);
        // 20 frames at 2 fps, clamped to max_frames
        assertThat(FIXTURE.indices(300, 30.0, null, null))
                .containsExactly(0, 18, 37, 56, 75, 93, 112, 131, 150, 168, 187, 206, 225, 243, 262, 281);
        // fewer than min_frames at 2 fps: raised to 4
        assertThat(FIXTURE.indices(7, 3.0, null, null)).containsExactly(0, 1, 3, 5);
        assertThat(FIXTURE.indices(1000, 24.0, null, null))
                .containsExactly(0, 62, 125, 187, 250, 312, 375, 437, 500, 562, 625, 687, 750, 812, 875, 937);
        assertThat(FIXTURE.indices(33, 29.97, null, 1.0)).containsExactly(0, 8, 16, 24);
        assertThat(FIXTURE.indices(100, 25.0, null, 0.5)).containsExactly(0, 25, 50, 75);
    }

    @Test
    void aFrameCountIsRoundedHalfToEvenToTheTemporalPatch() {
        assertThat(FIXTURE.indices(100, 25.0, 9, null)).containsExactly(0, 12, 25, 37, 50, 62, 75, 87);
        // round(5 / 2) = 2 in Python: four frames
        assertThat(FIXTURE.indices(50, 10.0, 5, null)).containsExactly(0, 12, 25, 37);
    }

    @Test
    void withoutSamplingEveryFrameIsTaken() {
        VideoSampling all = new VideoSampling(false, null, null, 2, 4, 768);
        assertThat(all.indices(5, 24.0, null, null)).containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    void impossibleRequestsAreRefusedNamingTheInput() {
        assertThatThrownBy(() -> FIXTURE.indices(10, 4.0, 4, 2.0)).isInstanceOf(InvalidInputException.class)
                .extracting(e -> ((InvalidInputException) e).input()).isEqualTo(VideoSampling.FRAMES);
        assertThatThrownBy(() -> FIXTURE.indices(10, 4.0, 0, null)).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> FIXTURE.indices(10, 4.0, 12, null)).hasMessageContaining("cannot sample 12 frames from a video of 10");
        assertThatThrownBy(() -> FIXTURE.indices(100, 4.0, 18, null)).hasMessageContaining("at most 16 video frames");
        assertThatThrownBy(() -> FIXTURE.indices(10, 4.0, 1, null)).hasMessageContaining("leaves no frame");
        assertThatThrownBy(() -> FIXTURE.indices(0, 4.0, null, null)).hasMessageContaining("no frames");
        assertThatThrownBy(() -> FIXTURE.indices(10, 4.0, null, -1.0)).extracting(e -> ((InvalidInputException) e).input())
                .isEqualTo(VideoSampling.FPS);
    }
}
