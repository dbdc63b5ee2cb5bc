package io.github.eagle4j.cli;

import io.github.eagle4j.ExplainOptions;
import io.github.eagle4j.Explainer;
import io.github.eagle4j.Explanation;
import io.github.eagle4j.FrameLayout;
import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.JointExplainer;
import io.github.eagle4j.ProgressListener;
import io.github.eagle4j.RegionSet;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.Segmenter;
import io.github.eagle4j.TextExplainer;
import io.github.eagle4j.TokenScorer;
import io.github.eagle4j.text.JointExplanation;
import io.github.eagle4j.text.TextExplanation;
import io.github.eagle4j.text.TextRegionOptions;
import io.github.eagle4j.VideoClip;
import io.github.eagle4j.video.SampledVideo;
import io.github.eagle4j.VisionLanguageModel;
import io.github.eagle4j.evaluation.output.ExplanationJob;
import io.github.eagle4j.imageio.ImageFiles;
import io.github.eagle4j.regions.FrameSegmenter;
import io.github.eagle4j.regions.LabelMapSegmenter;
import io.github.eagle4j.report.ExplanationWriter;
import io.github.eagle4j.report.FrameFiles;
import io.github.eagle4j.search.HierarchicalSearch;
import io.github.eagle4j.search.Objective;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The images of one {@code --image A --image B ...} prompt (docs/frames.md): read in order and put side by side on one
 * canvas, which the explanation's regions, masks, maps and report cover; a scorer made for the layout cuts each canvas
 * back into the images. One image is the plain case: the canvas is the image.
 */
final class FrameInput {
    private final List<RgbImage> images;
    private final FrameLayout layout;
    private final RgbImage canvas;
    /** The video these images are the frames of, or null for images. */
    private final VideoClip clip;
    /** Where the video came from, for explanation.json; null for images. */
    private final Map<String, Object> videoSource;

    private FrameInput(List<RgbImage> images, VideoClip clip, Map<String, Object> videoSource) {
        this.images = List.copyOf(images);
        this.layout = clip != null ? clip.frames() : FrameLayout.of(images);
        this.canvas = images.size() == 1 ? images.get(0) : layout.compose(images);
        this.clip = clip;
        this.videoSource = videoSource;
    }

    /** The sampled frames of a video ({@link VideoFrames}), which the model receives as one video. */
    static FrameInput ofVideo(List<RgbImage> frames, VideoClip clip, Map<String, Object> source) {
        return new FrameInput(frames, clip, new LinkedHashMap<>(source));
    }

    /** Reads the files in order. */
    static FrameInput read(List<Path> files) {
        List<RgbImage> images = new ArrayList<>();
        for (Path f : files) {
            images.add(ImageFiles.read(f));
        }
        return new FrameInput(images, null, null);
    }

    /** Several images, or the frames of a video (even one): the frame-aware outputs and scorers. */
    boolean several() {
        return images.size() > 1 || clip != null;
    }

    /** The video these images are the frames of, or null for images. */
    VideoClip clip() {
        return clip;
    }

    /** Whether these are a video's frames. */
    boolean video() {
        return clip != null;
    }

    /** These frames with their video's source fields, as the library's writers take them; only for a video. */
    SampledVideo sampledVideo() {
        return new SampledVideo(images, clip, (String) videoSource.get("source"), (String) videoSource.get("sourceKind"),
                ((Number) videoSource.get("sourceFrames")).intValue(), ((Number) videoSource.get("sourceFps")).doubleValue());
    }

    List<RgbImage> images() {
        return images;
    }

    FrameLayout layout() {
        return layout;
    }

    /** The image the explanation covers: the one image, or the images side by side. */
    RgbImage canvas() {
        return canvas;
    }

    /**
     * The segmenter for the canvas: a region label map ({@code --regions-file}) is read as the canvas's (e.g. a
     * replayed {@code regions.png}), a folder of them as one per image ({@code frame-00.png}, ... as an earlier run
     * wrote them into {@code regions/}); any other segmenter divides each image on its own.
     */
    Segmenter segmenter(Segmenter perImage) {
        if (!several()) {
            return perImage;
        }
        if (perImage instanceof LabelMapSegmenter map) {
            return java.nio.file.Files.isDirectory(map.file()) ? perImageMaps(map.file()) : perImage;
        }
        return new FrameSegmenter(layout, perImage);
    }

    /** One label map per image from {@code dir}, combined with global ids. */
    private Segmenter perImageMaps(Path dir) {
        return new Segmenter() {
            @Override
            public RegionSet segment(RgbImage image) {
                List<RegionSet> parts = new ArrayList<>();
                for (int k = 0; k < layout.count(); k++) {
                    parts.add(new LabelMapSegmenter(dir.resolve(FrameFiles.name("frame", k))).segment(layout.frameImage(image, k)));
                }
                return FrameSegmenter.combine(layout, parts).withSegmentation(new io.github.eagle4j.Segmentation(name(), settings()));
            }

            @Override
            public String name() {
                return "label-map";
            }

            @Override
            public Map<String, Object> settings() {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("file", dir.toString());
                return m;
            }
        };
    }

    /**
     * The {@code frames} field when regions cross frames: each frame's size and place and how many regions touch it (no
     * per-frame files: their ids are not one frame's), and {@code regionFrames}, the first frame each region touches.
     */
    private Map<String, Object> acrossFrames(RegionSet regions, String note) {
        int[] firstFrame = new int[regions.regionCount()];
        java.util.Arrays.fill(firstFrame, Integer.MAX_VALUE);
        java.util.BitSet[] touches = new java.util.BitSet[layout.count()];
        for (int k = 0; k < layout.count(); k++) {
            touches[k] = new java.util.BitSet();
        }
        for (int y = 0; y < regions.height(); y++) {
            for (int x = 0; x < regions.width(); x++) {
                int r = regions.label(x, y);
                int k = layout.frameAt(x, y);
                if (r != RegionSet.UNLABELLED && k >= 0) {
                    firstFrame[r] = Math.min(firstFrame[r], k);
                    touches[k].set(r);
                }
            }
        }
        List<Map<String, Object>> list = new ArrayList<>();
        for (int k = 0; k < layout.count(); k++) {
            FrameLayout.Frame f = layout.frame(k);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("index", k);
            m.put("width", f.width());
            m.put("height", f.height());
            m.put("x", f.x());
            m.put("firstRegion", -1);
            m.put("regionCount", touches[k].cardinality());
            list.add(m);
        }
        List<Integer> regionFrames = new ArrayList<>();
        for (int k : firstFrame) {
            regionFrames.add(k == Integer.MAX_VALUE ? 0 : k);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("count", layout.count());
        out.put("note", note);
        out.put("images", list);
        out.put("regionFrames", regionFrames);
        return out;
    }

    /** A video's frames gain their timestamps and source frame numbers, and the field {@code video} says where they came from. */
    @SuppressWarnings("unchecked")
    private void addVideo(Map<String, Object> frames, VisionLanguageModel vlm) {
        List<Map<String, Object>> list = (List<Map<String, Object>>) frames.get("images");
        int[] source = clip.sourceIndices();
        for (int k = 0; k < list.size(); k++) {
            list.get(k).put("timestamp", clip.timestamp(k));
            list.get(k).put("sourceIndex", source[k]);
        }
        Map<String, Object> video = new LinkedHashMap<>(videoSource);
        video.put("sampledFps", clip.sampledFps());
        video.put("sentAs", vlm.videoTransport());
        frames.put("video", video);
    }

    /**
     * Checks {@code --top-images} against the input.
     *
     * @throws InvalidInputException when it is given for one image or exceeds the image count
     */
    void checkTopImages(Integer topImages) {
        if (topImages == null) {
            return;
        }
        if (!several()) {
            throw new InvalidInputException("--top-images needs several --image options (a hierarchical search orders images first)");
        }
        if (topImages < 1 || topImages > images.size()) {
            throw new InvalidInputException("--top-images must be in 1.." + images.size() + ", got " + topImages);
        }
    }

    /** The greedy answer to the prompt with these images. */
    VisionLanguageModel.Generation generate(VisionLanguageModel vlm, String prompt, int maxNewTokens) {
        if (clip != null) {
            return vlm.generate(images, clip, prompt, maxNewTokens);
        }
        return several() ? vlm.generate(images, prompt, maxNewTokens) : vlm.generate(images.get(0), prompt, maxNewTokens);
    }

    /** The scorer for these images: of the generation's tokens when given, else of the answer text. */
    TokenScorer scorer(VisionLanguageModel vlm, String prompt, String answer, VisionLanguageModel.Generation generation,
                       List<Integer> targets) {
        if (clip != null) {
            return generation != null ? vlm.scorer(prompt, generation, targets, clip) : vlm.scorer(prompt, answer, targets, clip);
        }
        if (!several()) {
            return generation != null ? vlm.scorer(prompt, generation, targets) : vlm.scorer(prompt, answer, targets);
        }
        return generation != null ? vlm.scorer(prompt, generation, targets, layout) : vlm.scorer(prompt, answer, targets, layout);
    }

    /**
     * Explains several images and writes the output folder: the canvas-wide files, the per-image files and the
     * {@code frames} field of {@code explanation.json}.
     */
    Explanation explain(VisionLanguageModel vlm, ExplanationJob job, RegionSet regions, ExplainOptions options,
                        Integer topImages, ProgressListener progress, Path dir, TextRegionOptions text) {
        Explanation e;
        TextExplanation te = null;
        JointExplanation je = null;
        try (TokenScorer scorer = scorer(vlm, job.prompt(), job.answer(), job.generation(), job.targets())) {
            TextExplainer textExplainer = text == null ? null : new TextExplainer(options, text.mode(), text.mask());
            if (textExplainer != null) {
                // the spans first, so a backend that cannot mask text fails before any search
                textExplainer.spans(scorer, canvas.width(), canvas.height());
            }
            Explainer explainer = new Explainer(options);
            if (topImages != null) {
                int[] frameOf;
                try {
                    frameOf = layout.frameOfRegions(regions);
                } catch (IllegalArgumentException ex) {
                    throw new InvalidInputException("--top-images needs regions that each lie in one image: " + ex.getMessage());
                }
                Objective objective = new Objective(options.lambda1(), options.lambda2());
                explainer = explainer.withSearch(s -> new HierarchicalSearch(s, s, objective, frameOf, topImages));
            }
            e = explainer.explain(canvas, regions, scorer, progress);
            if (textExplainer != null) {
                te = textExplainer.explain(canvas, scorer);
                if (text.joint()) {
                    je = new JointExplainer(options, text.mode(), text.mask()).explain(canvas, regions, scorer, ProgressListener.NONE);
                }
            }
        }
        Map<String, Object> extra = job.fields(e, te, je);
        String caption = String.join(" ", e.targets().stream().map(t -> t.token().strip()).toList());
        try {
            Map<String, Object> frames = FrameFiles.write(e, layout, canvas, dir, caption);
            if (clip != null) {
                addVideo(frames, vlm);
            }
            extra.put("frames", frames);
        } catch (IllegalArgumentException ex) {
            // regions across images (--temporal-pairs, or a replayed canvas label map): the canvas files describe them
            Map<String, Object> frames = acrossFrames(regions, ex.getMessage());
            if (clip != null) {
                addVideo(frames, vlm);
            }
            extra.put("frames", frames);
        }
        ExplanationWriter.write(e, canvas, dir, extra);
        return e;
    }
}
