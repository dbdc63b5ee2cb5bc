package io.github.eagle4j.cli;

import io.github.eagle4j.evaluation.output.ExplanationJob;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.eagle4j.AnswerToken;
import io.github.eagle4j.ExplainOptions;
import io.github.eagle4j.Explanation;
import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.RegionSet;
import io.github.eagle4j.TargetSelection;
import io.github.eagle4j.VisionLanguageModel;
import io.github.eagle4j.imageio.ImageFiles;
import io.github.eagle4j.metrics.PointingGame;
import io.github.eagle4j.report.ExplanationWriter;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code eagle demo}: the main job on the bundled tiny model. Renders a seeded scene of coloured shapes,
 * lets the model describe it, and explains the colour word and the shape word of one object, with the
 * pointing game scored against the object's true box and mask.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Renders a seeded scene of coloured shapes, lets the model (default: the bundled tiny LLaVA) describe it, and explains the colour and shape words of one object into --out.", ""},
        footer = {"", "Examples:", "  ./eagle demo", "  ./eagle demo --seed 12 --object 2 --search lazy --out demo-lazy"})
public final class DemoCommand implements Callable<Integer> {
    static final String PROMPT = "Describe the image.";
    static final String MARKER = "demo.json";

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @ArgGroup(validate = false, heading = "%nScene:%n", order = HelpSections.INPUT_ORDER)
    Scene scene = new Scene();

    @Mixin
    RegionOptions regions = new RegionOptions();

    @Mixin
    SearchOptions searchOptions = new SearchOptions();

    @Mixin
    ModelOptions model = new ModelOptions();

    @ArgGroup(validate = false, heading = HelpSections.OUTPUT, order = HelpSections.OUTPUT_ORDER)
    Output output = new Output();

    /** Which scene, and which of its objects. */
    static final class Scene {
        @Option(names = "--seed", defaultValue = "7", paramLabel = "N", description = "Scene seed (default ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--object", defaultValue = "1", paramLabel = "K",
                description = "Which object to explain, counted left to right from 1 (default ${DEFAULT-VALUE}).")
        int object;
    }

    /** Where the demo is written. */
    static final class Output {
        @Option(names = "--out", defaultValue = "demo-out", paramLabel = "DIR", description = "Output folder (default ${DEFAULT-VALUE}).")
        Path out;
    }

    @Override
    public Integer call() throws Exception {
        long seed = this.scene.seed;
        int object = this.scene.object;
        Path out = output.out;
        ShapeScene scene = ShapeScene.render(seed);
        List<ShapeScene.SceneObject> objects = scene.leftToRight();
        if (object < 1 || object > objects.size()) {
            throw new InvalidInputException("--object " + object + ": scene " + seed + " has " + objects.size()
                    + " object(s): " + scene.caption());
        }
        ShapeScene.SceneObject target = objects.get(object - 1);
        ExplainOptions options = searchOptions.options(regions.segmenter());
        RegionSet regionSet = options.segmenter().segment(scene.image());
        SearchCost.check(options, regionSet.regionCount(), searchOptions.allowLargeSearch());
        PrintWriter outText = spec.commandLine().getOut();
        ProgressLine line = ProgressLine.of(spec);
        try (OutputFolder folder = OutputFolder.prepare(out, MARKER);
             VisionLanguageModel vlm = Models.open(model)) {
            Path dir = folder.staging();
            ImageFiles.writePng(scene.image(), dir.resolve("scene.png"));
            double[] maskValues = new double[target.mask().length];
            for (int i = 0; i < maskValues.length; i++) {
                maskValues[i] = target.mask()[i] ? 1.0 : 0.0;
            }
            ImageFiles.writeGrayPng(ShapeScene.SIZE, ShapeScene.SIZE, maskValues, dir.resolve("object-mask.png"));

            String generated = vlm.generate(scene.image(), PROMPT, 24).text();
            String truth = scene.caption();
            // explain the model's own answer when it names the object; otherwise teacher-force the true caption
            String answer = generated.contains(target.words()) ? generated : truth;
            outText.printf("scene %d: %s%nmodel says: %s%n", seed, truth, generated);
            if (!answer.equals(generated)) {
                outText.printf("the answer does not name the %s; explaining the true caption instead%n", target.words());
            }
            List<AnswerToken> tokens = vlm.answerTokens(PROMPT, answer);
            int[] box = target.box();
            ExplanationJob.GroundTruth truthMasks = new ExplanationJob.GroundTruth(
                    PointingGame.boxMask(ShapeScene.SIZE, ShapeScene.SIZE, box[0], box[1], box[2], box[3]), target.mask());

            List<Map<String, Object>> runs = new ArrayList<>();
            int mention = mentionOf(tokens, target);
            for (String word : List.of(target.colour(), target.shape())) {
                List<Integer> idx = TargetSelection.word(tokens, word, mention);
                String name = (word.equals(target.colour()) ? "colour-" : "shape-") + word;
                Path sub = Files.createDirectories(dir.resolve(name));
                ConsoleProgress progress = new ConsoleProgress(line, "explain " + word,
                        ImagePlan.of(options, regionSet.regionCount()));
                ExplanationJob job = new ExplanationJob(PROMPT, answer, idx, truthMasks);
                Explanation e = job.run(vlm, scene.image(), regionSet, options, progress, sub, line::println);
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("word", word);
                row.put("folder", name);
                row.put("targets", idx);
                row.put("pointingGame", job.pointingGame(e));
                row.put("insertionAuc", e.metrics().insertionAuc());
                row.put("deletionAuc", e.metrics().deletionAuc());
                row.put("forwardPasses", e.cost().forwardPasses());
                row.put("elapsedMs", e.cost().elapsedMs());
                runs.add(row);
            }
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("seed", seed);
            summary.put("prompt", PROMPT);
            summary.put("trueCaption", truth);
            summary.put("modelAnswer", generated);
            summary.put("explainedAnswer", answer);
            summary.put("object", Map.of("colour", target.colour(), "shape", target.shape(),
                    "box", List.of(box[0], box[1], box[2], box[3])));
            summary.put("regionCount", regionSet.regionCount());
            summary.put("explanations", runs);
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValue(dir.resolve(MARKER).toFile(), summary);
            folder.publish();

            outText.printf(Locale.ROOT, "%-10s %-7s %-7s %9s %9s %7s %8s%n", "word", "PG box", "PG mask", "ins AUC",
                    "del AUC", "images", "time");
            for (Map<String, Object> r : runs) {
                @SuppressWarnings("unchecked")
                Map<String, Object> pg = (Map<String, Object>) r.get("pointingGame");
                outText.printf(Locale.ROOT, "%-10s %-7s %-7s %9.4f %9.4f %7d %7.1fs%n", r.get("word"),
                        (Boolean) pg.get("box") ? "hit" : "miss", (Boolean) pg.get("mask") ? "hit" : "miss",
                        r.get("insertionAuc"), r.get("deletionAuc"), r.get("forwardPasses"),
                        ((Long) r.get("elapsedMs")) / 1000.0);
            }
            outText.println("(PG: pointing game, whether the most important region touches the object's box / mask)");
            outText.println("wrote " + out + " (scene.png, object-mask.png, demo.json, and one folder per word:"
                    + " explanation.json, report.html, image.png, regions.png, attribution.png, overlay.png, curves.png)");
            outText.println(ExplainCommand.reportLine(out.resolve(runs.get(0).get("folder").toString())
                    .resolve(ExplanationWriter.REPORT)) + " (and " + out.resolve(runs.get(1).get("folder").toString())
                    .resolve(ExplanationWriter.REPORT) + ")");
        } finally {
            line.clear();
        }
        return 0;
    }

    /**
     * Where the target object is mentioned: the first colour token directly followed by the shape word, so
     * that a colour shared with an earlier object (two red shapes) resolves to this object's word.
     */
    private static int mentionOf(List<AnswerToken> tokens, ShapeScene.SceneObject target) {
        for (int i = 0; i + 1 < tokens.size(); i++) {
            if (TargetSelection.normalizedText(tokens.get(i)).equals(target.colour())
                    && TargetSelection.normalizedText(tokens.get(i + 1)).equals(target.shape())) {
                return i;
            }
        }
        return 0;
    }
}
