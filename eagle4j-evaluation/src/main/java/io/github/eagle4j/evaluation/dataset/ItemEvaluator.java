package io.github.eagle4j.evaluation.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.eagle4j.AnswerToken;
import io.github.eagle4j.ExplainMethod;
import io.github.eagle4j.ExplainOptions;
import io.github.eagle4j.Explainer;
import io.github.eagle4j.SearchKind;
import io.github.eagle4j.Explanation;
import io.github.eagle4j.FrameLayout;
import io.github.eagle4j.regions.FrameSegmenter;
import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.ProgressListener;
import io.github.eagle4j.RegionSet;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.Target;
import io.github.eagle4j.TargetSelection;
import io.github.eagle4j.TextExplainer;
import io.github.eagle4j.text.EvidenceSplit;
import io.github.eagle4j.text.JointExplanation;
import io.github.eagle4j.text.TextExplanation;
import io.github.eagle4j.text.TextSpan;
import io.github.eagle4j.TokenExplanation;
import io.github.eagle4j.TokenScorer;
import io.github.eagle4j.VideoClip;
import io.github.eagle4j.VideoSampling;
import io.github.eagle4j.VisionLanguageModel;
import io.github.eagle4j.diagnosis.Correction;
import io.github.eagle4j.diagnosis.CorrectionScan;
import io.github.eagle4j.diagnosis.RevisedAnswers;
import io.github.eagle4j.diagnosis.Diagnoser;
import io.github.eagle4j.diagnosis.Diagnosis;
import io.github.eagle4j.evaluation.BaselineRun;
import io.github.eagle4j.evaluation.Baselines;
import io.github.eagle4j.evaluation.OrderScore;
import io.github.eagle4j.evaluation.ReusedImages;
import io.github.eagle4j.evaluation.output.DiagnosisFiles;
import io.github.eagle4j.evaluation.output.ExplanationJob;
import io.github.eagle4j.evaluation.output.VideoFields;
import io.github.eagle4j.video.SampledVideo;
import io.github.eagle4j.video.VideoDecoder;
import io.github.eagle4j.video.VideoReader;
import io.github.eagle4j.imageio.AtomicFiles;
import io.github.eagle4j.imageio.ImageFiles;
import io.github.eagle4j.imageio.MaskFiles;
import io.github.eagle4j.masking.Masker;
import io.github.eagle4j.metrics.PointingGame;
import io.github.eagle4j.metrics.SensitiveTokenMetrics;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Evaluates one manifest item into a folder: the explanation (or, for a labelled yes/no item, the diagnosis), the
 * baselines asked for, and {@code result.json} — the item's metrics that summaries are computed from.
 */
public final class ItemEvaluator {
    /** The item's metrics, written last: its presence marks a finished item. */
    public static final String RESULT = "result.json";
    /** The baselines' orders and curves. */
    public static final String BASELINES = "baselines.json";

    private final VisionLanguageModel vlm;
    private final ExplainOptions options;
    private final List<String> compare;
    private final long seed;
    private final int baselineSamples;
    private final boolean atBudget;
    private final int maxNewTokens;
    private final int diagnosisMaxNewTokens;
    private final int generationThreads;
    private final Consumer<String> notes;

    /**
     * An evaluator of items with one model.
     *
     * @param notes receives cost lines of backends that quote costs
     */
    public ItemEvaluator(VisionLanguageModel vlm, EvaluationConfig config, Consumer<String> notes) {
        this.vlm = vlm;
        this.options = config.explain();
        this.compare = config.compare();
        this.seed = config.seed();
        this.baselineSamples = config.explain().baselineSamples();
        this.atBudget = config.compareAtBudget();
        this.maxNewTokens = config.maxNewTokens();
        this.diagnosisMaxNewTokens = config.diagnosisMaxNewTokens();
        this.generationThreads = config.generationThreads();
        this.notes = notes;
    }

    /**
     * Evaluates {@code item}, writing every file into {@code dir} ({@code result.json} last).
     *
     * @return the item's result tree (as written)
     * @throws io.github.eagle4j.InvalidInputException naming the manifest line when the item's input is bad
     */
    public ObjectNode evaluate(Manifest.Item item, Path dir, ProgressListener progress) throws java.io.IOException {
        try {
            return evaluateItem(item, dir, progress);
        } catch (InvalidInputException e) {
            // every bad-input message names the manifest line (and the manifest's field), whichever part found it
            throw e.getMessage().startsWith(where(item)) ? e
                    : new InvalidInputException(where(item) + e.describedAs(manifestName(e.input())), e);
        }
    }

    private ObjectNode evaluateItem(Manifest.Item item, Path dir, ProgressListener progress) throws java.io.IOException {
        long start = System.nanoTime();
        // the item's conversation, rendered before its question by the model's chat template (a view; nothing to close)
        VisionLanguageModel vlm;
        try {
            vlm = this.vlm.withHistory(item.conversation().history());
        } catch (InvalidInputException ex) {
            throw new InvalidInputException(where(item) + "'conversation': the model cannot take it: " + ex.getMessage(), ex);
        }
        List<RgbImage> pictures = new ArrayList<>();
        SampledVideo video = item.hasVideo() ? readVideo(vlm, item.video()) : null;
        VideoClip clip = video == null ? null : video.clip();
        if (video != null) {
            pictures.addAll(video.frames());
        }
        for (Path p : item.images()) {
            pictures.add(ImageFiles.read(p));
        }
        // several images or a video's frames: one canvas of them side by side, regions per image, box and mask on the canvas
        FrameLayout frames = clip != null ? clip.frames() : item.severalImages() ? FrameLayout.of(pictures) : null;
        RgbImage image = frames == null ? pictures.get(0) : frames.compose(pictures);
        boolean[] box = null;
        if (item.box() != null) {
            int[] b = item.box();
            box = PointingGame.boxMask(image.width(), image.height(), b[0], b[1], b[2], b[3]);
        }
        boolean[] mask = item.mask() == null ? null : MaskFiles.read(item.mask(), image.width(), image.height());
        RegionSet regions = frames == null ? options.segmenter().segment(image)
                : new FrameSegmenter(frames, options.segmenter()).segment(image);

        Explanation e;
        String answer;
        List<Integer> targets;
        Diagnosis diagnosis = null;
        ExplanationJob job;
        TextExplanation textExplanation = null;
        JointExplanation jointExplanation = null;
        int generations = 0;
        if (item.labelled()) {
            Diagnoser diagnoser = new Diagnoser(options, diagnosisMaxNewTokens, generationThreads);
            diagnosis = (clip != null ? diagnoser.forVideo(clip) : frames == null ? diagnoser : diagnoser.forFrames(frames))
                    .diagnose(vlm, image, regions, item.prompt(), item.label(), progress, ProgressListener.NONE);
            e = diagnosis.explanation();
            answer = diagnosis.labelWord();
            targets = List.of(0);
            generations = diagnosis.generations();
            job = new ExplanationJob(item.prompt(), answer, targets, new ExplanationJob.GroundTruth(box, mask));
            if (video != null) {
                job.write(e, image, video, dir);
            } else if (frames == null) {
                job.write(e, image, dir);
            } else {
                job.write(e, image, frames, dir);
            }
            DiagnosisFiles.write(diagnosis, image, frames, video, item.prompt(), diagnosisMaxNewTokens, job.pointingGame(e), dir);
        } else {
            answer = item.answer();
            if (answer == null) {
                answer = (clip != null ? vlm.generate(pictures, clip, item.prompt(), maxNewTokens)
                        : frames == null ? vlm.generate(image, item.prompt(), maxNewTokens)
                        : vlm.generate(pictures, item.prompt(), maxNewTokens)).text();
                generations = 1;
            }
            List<AnswerToken> tokens = vlm.answerTokens(item.prompt(), answer);
            if (tokens.isEmpty()) {
                throw new InvalidInputException(where(item) + "answer '" + answer + "' tokenises to nothing");
            }
            targets = targets(item, tokens);
            job = new ExplanationJob(item.prompt(), answer, targets, new ExplanationJob.GroundTruth(box, mask));
            if (frames == null) {
                ExplanationJob.Outcome outcome = job.runAll(vlm, image, regions, options, progress, dir, notes, item.textRegions());
                e = outcome.image();
                textExplanation = outcome.text();
                jointExplanation = outcome.joint();
            } else if (video != null) {
                e = job.run(vlm, video, image, regions, options, progress, dir, notes);
            } else {
                ExplanationJob.Outcome outcome = job.runAll(vlm, frames, image, regions, options, progress, dir, notes, item.textRegions());
                e = outcome.image();
                textExplanation = outcome.text();
                jointExplanation = outcome.joint();
            }
        }

        ObjectNode result = DiagnosisFiles.MAPPER.createObjectNode();
        result.put("id", item.id());
        result.put("index", item.index());
        result.put("prompt", item.prompt());
        result.put("answer", answer);
        var targetArray = result.putArray("targets");
        for (Target t : e.targets()) {
            targetArray.addObject().put("index", t.index()).put("token", t.token()).put("id", t.id());
        }
        result.put("regionCount", e.regionCount());
        if (frames != null) {
            result.set("frames", framesField(frames, regions, e, video));
        }
        result.put("labelled", item.labelled());
        if (!item.conversation().history().isEmpty()) {
            result.put("conversationMessages", item.conversation().history().size() + 1);
        }
        if (textExplanation != null) {
            result.set("text", textResult(textExplanation));
        }
        if (jointExplanation != null) {
            result.set("joint", jointResult(jointExplanation));
        }
        ObjectNode methods = result.putObject("methods");
        ObjectNode eagleMetrics = metrics(e.metrics().insertionAuc(), e.metrics().deletionAuc(), e.metrics().highestConfidence(), e.metrics().sensitive(),
                job.pointingGame(e), e.cost().forwardPasses(), e.cost().elapsedMs());
        putCurves(eagleMetrics, e.curves().areaCurve(), e.curves().insertionCurve(), e.curves().deletionCurve(), e.metrics().blankImageProbs(),
                e.metrics().fullImageProbs());
        putPerToken(eagleMetrics, e.perToken());
        methods.set("eagle", eagleMetrics);

        if (diagnosis != null && diagnosis.correction() != null) {
            putCorrection((ObjectNode) methods.get("eagle"), diagnosis.correction());
        }
        if (!compare.isEmpty()) {
            ObjectNode baselines = DiagnosisFiles.MAPPER.createObjectNode();
            baselines.put("protocol", Baselines.PROTOCOL);
            long itemSeed = randomSeed(seed, item.id());
            try (TokenScorer scorer = clip != null ? vlm.scorer(item.prompt(), answer, targets, clip)
                    : frames == null ? vlm.scorer(item.prompt(), answer, targets)
                    : vlm.scorer(item.prompt(), answer, targets, frames)) {
                Masker masker = Masker.forScorer(image, regions, options.fill(), scorer);
                // the compared searches share what they scored: their first steps ask for the same images
                ReusedImages reused = new ReusedImages(scorer, image, regions, options.fill());
                for (String method : compare) {
                    if (EvaluationConfig.SEARCHES.contains(method)) {
                        boolean mainRun = isMainSearch(method, item);
                        long before = reused.imagesComputed();
                        Explanation se = mainRun ? e : new Explainer(comparedSearch(method))
                                .explain(image, regions, reused, ProgressListener.NONE);
                        ObjectNode m = metrics(se.metrics().insertionAuc(), se.metrics().deletionAuc(), se.metrics().highestConfidence(),
                                se.metrics().sensitive(), PointingGame.hits(regions, se.regionScores(), box, mask),
                                se.cost().forwardPasses(), se.cost().elapsedMs());
                        m.put("imagesComputed", mainRun ? 0 : reused.imagesComputed() - before);
                        putCurves(m, se.curves().areaCurve(), se.curves().insertionCurve(), se.curves().deletionCurve(), se.metrics().blankImageProbs(),
                                se.metrics().fullImageProbs());
                        if (diagnosis != null && diagnosis.hallucinated()) {
                            List<String> revised = RevisedAnswers.generate(vlm, masker, clip, se.curves().order(), item.prompt(),
                                    diagnosisMaxNewTokens, generationThreads, ProgressListener.NONE);
                            generations += revised.size();
                            putCorrection(m, CorrectionScan.scan(diagnosis.labelWord(), revised, se.curves().areaCurve(),
                                    se.curves().order()));
                        }
                        methods.set(method, m);
                        ObjectNode detail = baselines.putObject(method);
                        detail.put("search", method);
                        detail.put("reusedMainExplanation", mainRun);
                        putArray(detail, "scores", se.regionScores());
                        detail.setAll(m.deepCopy());
                        var order = detail.putArray("order");
                        for (int r : se.curves().order()) {
                            order.add(r);
                        }
                        putArray(detail, "areaCurve", se.curves().areaCurve());
                        putArray(detail, "insertionCurve", se.curves().insertionCurve());
                        putArray(detail, "deletionCurve", se.curves().deletionCurve());
                        continue;
                    }
                    ExplainMethod kind = ExplainMethod.parse(method);
                    int samples = kind.sampling() && atBudget
                            ? BaselineRun.samplesAtBudget(e.cost().forwardPasses(), regions.regionCount()) : baselineSamples;
                    BaselineRun run = BaselineRun.run(kind, samples, itemSeed, masker, scorer,
                            options.sensitivityThreshold());
                    OrderScore s = run.score();
                    ObjectNode detail = baselines.putObject(method);
                    detail.set("settings", DiagnosisFiles.MAPPER.valueToTree(run.attribution().settings()));
                    putArray(detail, "scores", run.attribution().scores());
                    Map<String, Boolean> pg = PointingGame.hits(regions, s.regionScores(), box, mask);
                    ObjectNode m = metrics(s.insertionAuc(), s.deletionAuc(), s.highestConfidence(), s.sensitive(),
                            pg, s.forwardPasses(), run.elapsedMs());
                    putCurves(m, s.areaCurve(), s.insertionCurve(), s.deletionCurve(), s.blankImageProbs(),
                            s.fullImageProbs());
                    if (diagnosis != null && diagnosis.hallucinated()) {
                        // the same scan as EAGLE's (docs/method.md §10), along this method's order
                        List<String> revised = RevisedAnswers.generate(vlm, masker, s.order(), item.prompt(),
                                diagnosisMaxNewTokens, generationThreads, ProgressListener.NONE);
                        generations += revised.size();
                        putCorrection(m, CorrectionScan.scan(diagnosis.labelWord(), revised, s.areaCurve(), s.order()));
                    }
                    methods.set(method, m);
                    detail.setAll(m.deepCopy());
                    var order = detail.putArray("order");
                    for (int r : s.order()) {
                        order.add(r);
                    }
                    putArray(detail, "areaCurve", s.areaCurve());
                    putArray(detail, "insertionCurve", s.insertionCurve());
                    putArray(detail, "deletionCurve", s.deletionCurve());
                }
            }
            AtomicFiles.write(dir.resolve(BASELINES), temp -> DiagnosisFiles.MAPPER.writeValue(temp.toFile(), baselines));
        }

        if (diagnosis != null) {
            ObjectNode d = result.putObject("diagnosis");
            d.put("label", diagnosis.labelWord());
            d.put("modelAnswer", diagnosis.modelAnswer());
            d.put("hallucinated", diagnosis.hallucinated());
            Correction c = diagnosis.correction();
            if (c != null) {
                d.put("correctingK", c.correctingK());
                d.put("mcr", c.mcr());
                d.put("removedArea", c.removedArea());
                var culprits = d.putArray("culpritRegions");
                for (int r : c.culpritRegions()) {
                    culprits.add(r);
                }
            }
        } else {
            result.putNull("diagnosis");
        }
        result.put("generations", generations);
        result.put("elapsedMs", (System.nanoTime() - start) / 1_000_000);
        byte[] bytes = writeBytes(result);
        AtomicFiles.write(dir.resolve(RESULT), temp -> java.nio.file.Files.write(temp, bytes));
        return result;
    }

    /** The text-only search's numbers that summaries read (docs/evaluation.md, text regions). */
    private static ObjectNode textResult(TextExplanation t) {
        ObjectNode o = DiagnosisFiles.MAPPER.createObjectNode();
        o.put("mode", t.mode().cliName());
        o.put("mask", t.mask().cliName());
        o.put("spanCount", t.spans().size());
        o.put("insertionAuc", t.insertionAuc());
        o.put("deletionAuc", t.deletionAuc());
        TextSpan top = t.topSpan();
        o.putObject("topSpan").put("id", top.id()).put("text", top.text()).put("role", top.role().jsonName())
                .put("message", top.message());
        o.put("forwardPasses", t.forwardPasses());
        return o;
    }

    /** The joint search's numbers and the answer's evidence split (docs/text.md, "Evidence split"). */
    private static ObjectNode jointResult(JointExplanation j) {
        ObjectNode o = DiagnosisFiles.MAPPER.createObjectNode();
        o.put("insertionAuc", j.insertionAuc());
        o.put("deletionAuc", j.deletionAuc());
        EvidenceSplit a = j.answerEvidence();
        o.putObject("answerEvidence").put("full", a.full()).put("image", a.image()).put("prompt", a.prompt())
                .put("prior", a.neither()).put("label", a.label());
        o.put("forwardPasses", j.forwardPasses());
        return o;
    }

    /**
     * The {@code frames} field of {@code result.json} for several images or a video's frames: the image count, each
     * image's size and regions (a video frame's timestamp and source frame number), and the image the top region lies
     * in (what a multi-image summary counts); for a video also where it came from.
     */
    private static ObjectNode framesField(FrameLayout frames, RegionSet regions, Explanation e, SampledVideo video) {
        int[] frameOf = frames.frameOfRegions(regions);
        ObjectNode f = DiagnosisFiles.MAPPER.createObjectNode();
        f.put("count", frames.count());
        var images = f.putArray("images");
        int[] counts = new int[frames.count()];
        for (int r : frameOf) {
            counts[r]++;
        }
        for (int k = 0; k < frames.count(); k++) {
            FrameLayout.Frame fr = frames.frame(k);
            ObjectNode o = images.addObject().put("index", k).put("width", fr.width()).put("height", fr.height()).put("x", fr.x())
                    .put("regionCount", counts[k]);
            if (video != null) {
                o.put("timestamp", video.clip().timestamp(k)).put("sourceIndex", video.clip().sourceIndices()[k]);
            }
        }
        if (video != null) {
            f.set("video", DiagnosisFiles.MAPPER.valueToTree(VideoFields.of(video)));
        }
        f.put("topRegionImage", frameOf[e.curves().order()[0]]);
        return f;
    }

    /**
     * True when the item's own explanation is what compared search {@code method} would compute: an unlabelled item
     * explained with that search and no early stop, budget, checked steps or per-token searches.
     */
    private boolean isMainSearch(String method, Manifest.Item item) {
        return !item.labelled() && options.method() == ExplainMethod.EAGLE && options.search().cliName().equals(method)
                && !options.earlyStop() && !options.hasBudget() && options.verifySteps() == 0 && !options.eachToken();
    }

    /** The options of compared search {@code method}: the run's λs, fill and knobs, every region placed exactly as the search places it. */
    private ExplainOptions comparedSearch(String method) {
        ExplainOptions o = options;
        return ExplainOptions.builder().segmenter(o.segmenter()).fill(o.fill()).lambdas(o.lambda1(), o.lambda2())
                .efficient(o.searchScope(), o.pendingSamples(), o.updateStep()).lazyBatch(o.lazyBatch())
                .fastWindow(o.fastWindow()).fastExplore(o.fastExplore()).sensitivityThreshold(o.sensitivityThreshold())
                .seed(o.seed()).search(SearchKind.valueOf(method.toUpperCase(java.util.Locale.ROOT))).build();
    }

    /**
     * True when {@code result} is item {@code id}'s result with every field that summaries read, for each of
     * {@code methods} ({@code eagle} and the baselines): what a resumed run or a merge checks before trusting a
     * finished item.
     */
    public static boolean isComplete(JsonNode result, String id, List<String> methods) {
        if (result == null || !result.isObject() || !id.equals(result.path("id").asText(null))
                || !result.path("generations").isIntegralNumber() || !result.path("elapsedMs").isIntegralNumber()
                || !result.path("labelled").isBoolean() || !result.path("targets").isArray()) {
            return false;
        }
        for (String m : methods) {
            JsonNode mm = result.path("methods").path(m);
            if (!mm.path("insertionAuc").isNumber() || !mm.path("deletionAuc").isNumber()
                    || !mm.path("highestConfidence").isNumber() || !mm.path("forwardPasses").isIntegralNumber()
                    || !mm.path("pointingGame").isObject() || !(mm.path("sensitive").isNull() || mm.path("sensitive")
                    .path("insertionAuc").isNumber())) {
                return false;
            }
            JsonNode c = mm.get("correction"); // optional; read when present
            if (c != null && !c.isNull() && !(c.path("correctingK").isIntegralNumber() && c.path("mcr").isNumber()
                    && c.path("removedArea").isNumber())) {
                return false;
            }
            JsonNode curves = mm.get("curves");
            if (curves != null && !(numbers(curves.path("insertion")) && numbers(curves.path("deletion")))) {
                return false;
            }
        }
        JsonNode d = result.get("diagnosis");
        if (d == null || !(d.isNull() || d.isObject())) {
            return false;
        }
        return d.isNull() || (d.path("hallucinated").isBoolean() && (!d.path("hallucinated").asBoolean()
                || (d.path("correctingK").isIntegralNumber() && d.path("mcr").isNumber()
                && d.path("removedArea").isNumber() && d.path("culpritRegions").isArray())));
    }

    private static boolean numbers(JsonNode array) {
        if (!array.isArray()) {
            return false;
        }
        for (JsonNode n : array) {
            if (!n.isNumber()) {
                return false;
            }
        }
        return true;
    }

    private static byte[] writeBytes(ObjectNode tree) {
        try {
            return DiagnosisFiles.MAPPER.writeValueAsString(tree).getBytes(StandardCharsets.UTF_8);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The answer token indices an item names (explicit indices, or the tokens of its target word's occurrence).
     *
     * @throws InvalidInputException naming the item when they are not in the answer
     */
    public static List<Integer> targets(Manifest.Item item, List<AnswerToken> tokens) {
        try {
            if (item.targetIndices() != null) {
                return TargetSelection.indices(tokens, item.targetIndices());
            }
            if (item.targetWord() != null) {
                int from = 0;
                List<Integer> found = null;
                for (int k = 0; k < item.targetOccurrence(); k++) {
                    if (k > 0 && from >= tokens.size()) {
                        throw pastLast(item, k);
                    }
                    try {
                        found = TargetSelection.word(tokens, item.targetWord(), from);
                    } catch (InvalidInputException absent) {
                        if (k > 0) {
                            throw pastLast(item, k);
                        }
                        throw absent;
                    }
                    from = found.get(found.size() - 1) + 1;
                }
                return found;
            }
            return TargetSelection.all(tokens);
        } catch (InvalidInputException ex) {
            throw new InvalidInputException(where(item) + ex.describedAs(manifestName(ex.input())));
        }
    }

    private static InvalidInputException pastLast(Manifest.Item item, int occurrences) {
        return new InvalidInputException("'targetOccurrence' " + item.targetOccurrence() + " is past the last "
                + "occurrence: '" + item.targetWord() + "' occurs " + occurrences + " time(s) in the answer");
    }

    /** The frames the model takes from the item's video, sampled as its video processor samples them. */
    private static SampledVideo readVideo(VisionLanguageModel vlm, Manifest.Video v) {
        VideoSampling sampling = vlm.videoSampling().orElseThrow(() -> InvalidInputException.forInput(VideoDecoder.VIDEO,
                ": " + vlm.videoRefusal().orElse("model " + vlm.description().model() + " (" + vlm.description().backend()
                        + " backend) takes no video; Qwen2-VL and Qwen2.5-VL models do (docs/frames.md)")));
        try {
            return VideoReader.read(v.path(), sampling, v.frames(), v.fps());
        } catch (InvalidInputException e) {
            // a message that names no input (the sampling's) is about the video and how it is sampled
            throw e.input() != null ? e : InvalidInputException.forInput(v.frames() != null ? VideoSampling.FRAMES
                    : v.fps() != null ? VideoSampling.FPS : VideoDecoder.VIDEO, " (video " + v.path().getFileName() + "): "
                    + e.getMessage(), e);
        }
    }

    /** The manifest's name for an input that a library message names by its API name. */
    private static String manifestName(String input) {
        if (input == null) {
            return null;
        }
        return switch (input) {
            case Diagnoser.LABEL_WORD -> "'label'";
            case TargetSelection.WORD -> "'targets' word";
            case TargetSelection.INDICES -> "'targets'";
            case TextExplainer.MODE -> "'textRegions' mode";
            case TextExplainer.MASK -> "'textRegions' mask";
            case VideoSampling.FRAMES -> "'videoFrames'";
            case VideoSampling.FPS -> "'videoFps'";
            default -> "'" + input + "'";
        };
    }

    private static String where(Manifest.Item item) {
        return "manifest line " + item.line() + " (" + item.id() + "): ";
    }

    /** The random baseline's seed for an item: the run's seed mixed with a stable hash of the item id. */
    public static long randomSeed(long seed, String id) {
        long h = 0xcbf29ce484222325L; // FNV-1a 64
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xFF;
            h *= 0x100000001b3L;
        }
        return seed ^ h;
    }

    private static ObjectNode metrics(double ins, double del, double high, SensitiveTokenMetrics sensitive,
                                      Map<String, Boolean> pointing, long forwardPasses, long elapsedMs) {
        ObjectNode m = DiagnosisFiles.MAPPER.createObjectNode();
        m.put("insertionAuc", ins);
        m.put("deletionAuc", del);
        m.put("highestConfidence", high);
        if (sensitive == null) {
            m.putNull("sensitive");
        } else {
            ObjectNode s = m.putObject("sensitive");
            s.put("insertionAuc", sensitive.insertionAuc());
            s.put("deletionAuc", sensitive.deletionAuc());
            s.put("highestConfidence", sensitive.highestConfidence());
        }
        ObjectNode pg = m.putObject("pointingGame");
        pg.set("box", pointing.containsKey("box") ? pg.booleanNode(pointing.get("box")) : pg.nullNode());
        pg.set("mask", pointing.containsKey("mask") ? pg.booleanNode(pointing.get("mask")) : pg.nullNode());
        m.put("forwardPasses", forwardPasses);
        m.put("elapsedMs", elapsedMs);
        return m;
    }

    /** With {@code --each-token}: every target's own insertion and deletion AUC and the images its search asked for. */
    private static void putPerToken(ObjectNode m, List<TokenExplanation> perToken) {
        if (perToken.isEmpty()) {
            return;
        }
        var a = m.putArray("perToken");
        for (TokenExplanation t : perToken) {
            a.addObject().put("index", t.target().index()).put("token", t.target().token())
                    .put("insertionAuc", t.insertionAuc()).put("deletionAuc", t.deletionAuc())
                    .put("imagesAsked", t.imagesAsked());
        }
    }

    /** The minimal correction along a method's order (labelled, hallucinated items). */
    private static void putCorrection(ObjectNode m, Correction c) {
        ObjectNode n = m.putObject("correction");
        n.put("correctingK", c.correctingK());
        n.put("mcr", c.mcr());
        n.put("removedArea", c.removedArea());
    }

    /**
     * The curves resampled at {@link io.github.eagle4j.evaluation.MeanCurves#GRID} area fractions (linear between the order's steps, the blank
     * or full image at area 0), so that summaries can average items whose regions differ.
     */
    private static void putCurves(ObjectNode m, double[] area, double[] ins, double[] del, double[] blank,
                                  double[] full) {
        ObjectNode c = m.putObject("curves");
        putArray(c, "insertion", io.github.eagle4j.evaluation.MeanCurves.resample(area, ins, mean(blank)));
        putArray(c, "deletion", io.github.eagle4j.evaluation.MeanCurves.resample(area, del, mean(full)));
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }


    private static void putArray(ObjectNode node, String name, double[] values) {
        var a = node.putArray(name);
        for (double v : values) {
            a.add(v);
        }
    }
}
