package io.github.eagle4j.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.eagle4j.ExplainOptions;
import io.github.eagle4j.Explainer;
import io.github.eagle4j.Explanation;
import io.github.eagle4j.Fill;
import io.github.eagle4j.FrameLayout;
import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.RegionSet;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.SearchKind;
import io.github.eagle4j.TargetSelection;
import io.github.eagle4j.TokenScorer;
import io.github.eagle4j.VideoClip;
import io.github.eagle4j.VisionLanguageModel;
import io.github.eagle4j.imageio.ImageFiles;
import io.github.eagle4j.regions.FrameSegmenter;
import io.github.eagle4j.regions.GridSegmenter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A video through vLLM (docs/backends.md, "Video through vLLM"): the sampled, masked frames travel losslessly as one
 * frame-sequence {@code video_url} part with {@code do_sample_frames: false}, and a loopback server that reads them as
 * vLLM does runs the Qwen2-VL fixture on them as a video. The answer, the region order and the curves equal the
 * in-process model's; SGLang, which resamples a video file itself, and too many frames are refused in one line.
 */
class VideoServerTest {
    static final String PROMPT = "What moves in the video?";
    static final String ANSWER = "A red circle moves to the right.";
    static FakeVideoVllm server;
    static VisionLanguageModel vllm;
    static FakeVideoVllm server25;
    static VisionLanguageModel vllm25;
    static List<RgbImage> source;

    @BeforeAll
    static void start() {
        server = new FakeVideoVllm(FakeVideoVllm.QWEN2);
        vllm = new ServerModelProvider().open(server.url(), Map.of("backend", "vllm"));
        server25 = new FakeVideoVllm(FakeVideoVllm.QWEN25);
        vllm25 = new ServerModelProvider().open(server25.url(), Map.of("backend", "vllm"));
        source = new ArrayList<>();
        for (int k = 0; k < 10; k++) {
            source.add(ImageFiles.read(TinyModel.REPO.resolve(String.format(Locale.ROOT,
                    "fixtures/goldens/video/tiny-random-qwen2-vl-sampled-%02d.png", k))));
        }
    }

    @AfterAll
    static void stop() {
        vllm.close();
        server.close();
        vllm25.close();
        server25.close();
    }

    /** The frames the server backend samples from the 10 source frames at 4 fps, and their clip. */
    static VideoClip clip(int[] indices) {
        double sourceFps = 4;
        double[] ts = Arrays.stream(indices).mapToDouble(i -> i / sourceFps).toArray();
        List<RgbImage> frames = Arrays.stream(indices).mapToObj(source::get).toList();
        return new VideoClip(FrameLayout.of(frames), indices, ts, (double) indices.length / source.size() * sourceFps);
    }

    static List<RgbImage> frames(VideoClip clip) {
        return Arrays.stream(clip.sourceIndices()).mapToObj(source::get).toList();
    }

    static Explanation explain(VisionLanguageModel vlm, VideoClip clip, Fill fill) {
        RgbImage canvas = clip.frames().compose(frames(clip));
        RegionSet regions = new FrameSegmenter(clip.frames(), new GridSegmenter(1, 2)).segment(canvas);
        ExplainOptions options = ExplainOptions.builder().segmenter(new GridSegmenter(1, 2)).search(SearchKind.FULL).fill(fill).build();
        try (TokenScorer scorer = vlm.scorer(PROMPT, ANSWER, TargetSelection.all(vlm.answerTokens(PROMPT, ANSWER)), clip)) {
            assertThat(scorer.frames()).contains(clip.frames());
            return new Explainer(options).explain(canvas, regions, scorer, (a, b, c) -> { });
        }
    }

    @Test
    void vllmAnswersAndExplainsAVideoAsTheInProcessModelDoes() {
        // vLLM's sampling: 2 fps, 4 to 32 frames; 10 frames at 4 fps give frames 0, 2, 5, 7
        int[] picked = VllmModel.VIDEO_SAMPLING.indices(10, 4.0, null, null);
        assertThat(picked).containsExactly(0, 2, 5, 7);
        answersAndExplainsAsInProcess(server, vllm, clip(picked), List.of(Fill.BLACK, Fill.MEAN));
    }

    @Test
    void qwen25TemporalPositionsFollowTheSampledRate() {
        // Qwen2.5-VL spaces its temporal positions by the sampled rate, which the server reads back from the request's
        // metadata: 6 of 10 frames at 4 fps (2.4 fps sampled: every temporal patch at one position) and 4 (1.6 fps)
        answersAndExplainsAsInProcess(server25, vllm25, clip(new int[] {0, 1, 3, 5, 6, 8}), List.of(Fill.BLACK));
        answersAndExplainsAsInProcess(server25, vllm25, clip(new int[] {0, 2, 5, 7}), List.of(Fill.BLACK));
    }

    static void answersAndExplainsAsInProcess(FakeVideoVllm server, VisionLanguageModel vllm, VideoClip clip, List<Fill> fills) {
        int n = clip.count();
        String answer = server.model.generate(frames(clip), clip, PROMPT, 8).text();
        server.framesPerRequest.clear();
        assertThat(vllm.generate(frames(clip), clip, PROMPT, 8).text()).isEqualTo(answer);
        assertThat(server.framesPerRequest).containsExactly(n);
        for (Fill fill : fills) {
            Explanation local = explain(server.model, clip, fill);
            server.framesPerRequest.clear();
            Explanation remote = explain(vllm, clip, fill);
            assertThat(remote.curves().order()).as("%s", fill).containsExactly(local.curves().order());
            double diff = Runs.maxCurveDifference(remote, local);
            assertThat(diff).as("%s", fill).isLessThanOrEqualTo(1e-4);
            // every request carried the frames, none sampled again by the server's processor
            assertThat(server.framesPerRequest).isNotEmpty().containsOnly(n);
            System.out.printf(Locale.ROOT, "vllm video %s, %d frames, %s fill: %d requests, order %s, max curve difference %.3g%n",
                    server.served, n, fill, server.framesPerRequest.size(), Arrays.toString(remote.curves().order()), diff);
        }
    }

    @Test
    void theRequestCarriesLosslessFramesAndTheSourceMetadata() {
        VideoClip clip = clip(new int[] {0, 2, 5, 7});
        JsonNode body = VllmProtocol.withVideo(VllmProtocol.scoreRequest("m", List.of(), VllmProtocol.videoMessage(
                PngDataUrl.base64(frames(clip)), PROMPT), ANSWER, false), clip);
        String url = body.path("messages").path(0).path("content").path(0).path("video_url").path("url").asText();
        assertThat(url).startsWith("data:video/jpeg;base64,");
        String[] parts = url.substring("data:video/jpeg;base64,".length()).split(",");
        assertThat(parts).hasSize(4);
        // PNG bytes under vLLM's frame-sequence media type: PIL opens them by content, pixel for pixel
        assertThat(Base64.getDecoder().decode(parts[2])).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        assertThat(body.at("/media_io_kwargs/video/num_frames").asInt()).isEqualTo(4);
        assertThat(body.at("/media_io_kwargs/video/fps").asDouble()).isEqualTo(4.0);
        assertThat(body.at("/media_io_kwargs/video/total_num_frames").asInt()).isEqualTo(10);
        assertThat(body.at("/media_io_kwargs/video/frames_indices").toString()).isEqualTo("[0,2,5,7]");
        assertThat(body.at("/mm_processor_kwargs/do_sample_frames").asBoolean(true)).isFalse();
        assertThat(body.at("/mm_processor_kwargs/fps").asDouble()).isEqualTo(clip.sampledFps());
        assertThat(vllm.videoTransport()).startsWith("vllm: ").contains("data:video/jpeg");
    }

    @Test
    void withoutDoSampleFramesFalseTheServersProcessorWouldSampleAgain() throws Exception {
        // what eagle4j prevents: the fixture's processor (2 fps) samples the 10 frames sent at 4 fps down to 4
        VideoClip all = clip(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
        var request = VllmProtocol.withVideo(VllmProtocol.generateRequest(server.served, List.of(), VllmProtocol.videoMessage(
                PngDataUrl.base64(frames(all)), PROMPT), 4), all);
        ((com.fasterxml.jackson.databind.node.ObjectNode) request.get("mm_processor_kwargs")).remove("do_sample_frames");
        server.framesPerRequest.clear();
        var http = java.net.http.HttpClient.newHttpClient();
        var reply = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.url() + VllmModel.CHAT))
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(Json.bytes(request))).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(reply.statusCode()).isEqualTo(200);
        assertThat(server.framesPerRequest).containsExactly(4);
    }

    @Test
    void badVideoInputIsRefusedInOneLine() {
        // more frames than vLLM reads of a frame sequence by default
        int[] many = new int[34];
        for (int i = 0; i < many.length; i++) {
            many[i] = i % 10;
        }
        double[] ts = new double[34];
        for (int i = 0; i < ts.length; i++) {
            ts[i] = i / 4.0;
        }
        List<RgbImage> frames = new ArrayList<>();
        for (int i : many) {
            frames.add(source.get(i));
        }
        VideoClip tooMany = new VideoClip(FrameLayout.of(frames), java.util.stream.IntStream.range(0, 34).toArray(), ts, 4.0);
        assertThatThrownBy(() -> vllm.scorer(PROMPT, ANSWER, List.of(0), tooMany)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("at most 32 frames").hasMessageNotContaining("\n");
        assertThatThrownBy(() -> VllmModel.VIDEO_SAMPLING.indices(100, 4.0, 40, null)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("at most 32");
        // a served model without video input: the server's refusal, in one line
        VideoClip clip = clip(new int[] {0, 2, 5, 7});
        server.refuseVideo = true;
        try {
            assertThatThrownBy(() -> vllm.generate(frames(clip), clip, PROMPT, 4)).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("At most 0 video(s)").hasMessageNotContaining("\n");
        } finally {
            server.refuseVideo = false;
        }
        // SGLang resamples a video file itself: refused before any request, naming the backend and why
        try (FakeSglang sglangServer = new FakeSglang();
             VisionLanguageModel sglang = new ServerModelProvider().open(sglangServer.url(),
                     Map.of("backend", "sglang", "chatFormat", TinyModel.CHAT_FORMAT))) {
            assertThat(sglang.videoSampling()).isEmpty();
            assertThat(sglang.videoRefusal()).get().asString().startsWith("the sglang backend takes no video").doesNotContain("\n");
            assertThatThrownBy(() -> sglang.scorer(PROMPT, ANSWER, List.of(0), clip)).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("samples (2 fps) and resizes its frames itself");
        }
    }
}
