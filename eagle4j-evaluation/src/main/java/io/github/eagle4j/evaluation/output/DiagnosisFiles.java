package io.github.eagle4j.evaluation.output;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.eagle4j.Explanation;
import io.github.eagle4j.FrameLayout;
import io.github.eagle4j.video.SampledVideo;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.Target;
import io.github.eagle4j.diagnosis.Correction;
import io.github.eagle4j.diagnosis.CorrectionStats;
import io.github.eagle4j.diagnosis.Diagnosis;
import io.github.eagle4j.imageio.AtomicFiles;
import io.github.eagle4j.imageio.ImageFiles;
import io.github.eagle4j.report.ExplanationJson;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes {@code diagnosis.json} and {@code culprits.png} beside a diagnosis's explanation files. */
public final class DiagnosisFiles {
    /** The diagnosis file's name. */
    public static final String JSON = "diagnosis.json";
    /** The culprit picture's name. */
    public static final String CULPRITS = "culprits.png";
    /** The JSON writer of every evaluation file (indented, as all of eagle4j's JSON). */
    public static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

    private DiagnosisFiles() {
    }

    /** The fields of {@code diagnosis.json}. */
    public static Map<String, Object> fields(Diagnosis d, String prompt, int maxNewTokens, Map<String, Boolean> pointingGame) {
        Explanation e = d.explanation();
        Correction c = d.correction();
        Target t = e.targets().get(0);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schemaVersion", ExplanationJson.SCHEMA_VERSION);
        m.put("prompt", prompt);
        m.put("label", d.labelWord());
        m.put("modelAnswer", d.modelAnswer());
        m.put("hallucinated", d.hallucinated());
        Map<String, Object> target = new LinkedHashMap<>(); // Map.of's order changes from run to run
        target.put("index", t.index());
        target.put("token", t.token());
        target.put("id", t.id());
        m.put("target", target);
        m.put("regionCount", e.regionCount());
        m.put("revisedAnswers", d.revisedAnswers());
        m.put("correctingK", c == null || !c.corrected() ? null : c.correctingK());
        m.put("corrected", c == null ? null : c.corrected());
        m.put("mcr", c == null ? null : c.mcr());
        m.put("budget", CorrectionStats.DEFAULT_BUDGET);
        m.put("withinBudget", c == null ? null : c.withinBudget(CorrectionStats.DEFAULT_BUDGET));
        List<Integer> culprits = new ArrayList<>();
        if (c != null) {
            for (int r : c.culpritRegions()) {
                culprits.add(r);
            }
        }
        m.put("culpritRegions", culprits);
        m.put("removedArea", c == null ? null : c.removedArea());
        m.put("insertionAuc", e.metrics().insertionAuc());
        m.put("deletionAuc", e.metrics().deletionAuc());
        m.put("highestConfidence", e.metrics().highestConfidence());
        if (!pointingGame.isEmpty()) {
            m.put("pointingGame", pointingGame);
        }
        m.put("forwardPasses", e.cost().forwardPasses());
        m.put("generations", d.generations());
        m.put("maxNewTokens", maxNewTokens);
        m.put("elapsedMs", d.elapsedMs());
        m.put("protocol", "target: the label's token at answer position 0 (the label teacher-forced as the answer); "
                + "revisedAnswers[k-1]: greedy answer with only the first k regions of the order kept; scan k = N..1 for "
                + "the first answer starting with the label (case-sensitive); mcr = 1 - area_k (docs/method.md §10)");
        return m;
    }

    /** Writes {@code culprits.png} then {@code diagnosis.json}, each atomically, into {@code dir} (created when missing). */
    public static void write(Diagnosis d, RgbImage image, String prompt, int maxNewTokens, Map<String, Boolean> pointingGame,
                             Path dir) {
        write(d, image, null, prompt, maxNewTokens, pointingGame, dir);
    }

    /**
     * As {@link #write(Diagnosis, RgbImage, String, int, Map, Path)} for a canvas of several images ({@code frames}
     * null for one): {@code diagnosis.json} gains {@code frames} (the image count, the image of every region id and of
     * every culprit region; docs/frames.md).
     */
    public static void write(Diagnosis d, RgbImage image, FrameLayout frames, String prompt,
                             int maxNewTokens, Map<String, Boolean> pointingGame, Path dir) {
        write(d, image, frames, null, prompt, maxNewTokens, pointingGame, dir);
    }

    /**
     * As {@link #write(Diagnosis, RgbImage, FrameLayout, String, int, Map, Path)} for a video's sampled frames
     * ({@code video} null for images): {@code frames} then also holds each frame's {@code timestamps} and
     * {@code video}, where the frames came from (docs/frames.md).
     */
    public static void write(Diagnosis d, RgbImage image, FrameLayout frames, SampledVideo video, String prompt,
                             int maxNewTokens, Map<String, Boolean> pointingGame, Path dir) {
        Folders.create(dir);
        int[] culprits = d.correction() == null ? new int[0] : d.correction().culpritRegions();
        ImageFiles.writePng(CulpritOverlay.render(image, d.explanation().regions(), culprits, caption(d)), dir.resolve(CULPRITS));
        Map<String, Object> json = fields(d, prompt, maxNewTokens, pointingGame);
        if (frames != null && (frames.count() > 1 || video != null)) {
            int[] frameOf = frames.frameOfRegions(d.explanation().regions());
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("count", frames.count());
            f.put("regionFrames", frameOf);
            f.put("culpritImages", java.util.Arrays.stream(culprits).map(r -> frameOf[r]).toArray());
            if (video != null) {
                f.put("timestamps", video.clip().timestamps());
                f.put("video", VideoFields.of(video));
            }
            json.put("frames", f);
        }
        AtomicFiles.write(dir.resolve(JSON), temp -> MAPPER.writeValue(temp.toFile(), json));
    }

    /** The caption under culprits.png: what removing the culprits changes. */
    public static String caption(Diagnosis d) {
        Correction c = d.correction();
        if (!d.hallucinated()) {
            return "answer '" + d.modelAnswer() + "' is correct";
        }
        if (!c.corrected()) {
            return "'" + d.modelAnswer() + "': never corrected";
        }
        String fixed = d.revisedAnswers().get(c.correctingK() - 1);
        return String.format(Locale.ROOT, "remove %d region(s), %.1f%% -> '%s'", c.culpritRegions().length,
                100 * c.removedArea(), fixed);
    }

    /** A few lines for the terminal. */
    public static String summary(Diagnosis d, Path out) {
        StringBuilder sb = new StringBuilder();
        Explanation e = d.explanation();
        sb.append(String.format(Locale.ROOT, "model answer: %s (label %s): %s%n", d.modelAnswer(), d.labelWord(),
                d.hallucinated() ? "hallucinated" : "correct"));
        sb.append(String.format(Locale.ROOT, "explained '%s' at answer position 0: %d regions, search %s, %d images, "
                        + "insertion AUC %.4f, deletion AUC %.4f%n", io.github.eagle4j.report.ExplanationReport.displayToken(e.targets().get(0).token()).strip(), e.regionCount(),
                e.ordering().orderedBy(), e.cost().forwardPasses(), e.metrics().insertionAuc(), e.metrics().deletionAuc()));
        Correction c = d.correction();
        if (c != null) {
            int n = d.revisedAnswers().size();
            if (c.corrected()) {
                sb.append(String.format(Locale.ROOT, "corrected at k = %d of %d: removing %d region(s) %s (%.2f %% of the "
                                + "image) gives '%s'; mcr %.4f %s 0.10%n", c.correctingK(), n, c.culpritRegions().length,
                        java.util.Arrays.toString(c.culpritRegions()), 100 * c.removedArea(),
                        d.revisedAnswers().get(c.correctingK() - 1), c.mcr(),
                        c.withinBudget(CorrectionStats.DEFAULT_BUDGET) ? "<=" : ">"));
            } else {
                sb.append(String.format(Locale.ROOT, "no k in 1..%d corrects the answer: mcr 1%n", n));
            }
            sb.append(String.format(Locale.ROOT, "%d answers generated, %.1f s%n", d.generations(), d.elapsedMs() / 1000.0));
        }
        sb.append("wrote ").append(out).append(" (diagnosis.json, culprits.png, explanation.json, report.html, overlay.png, ...)");
        return sb.toString();
    }
}
