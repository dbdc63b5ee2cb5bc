package io.github.eagle4j.cli;

import io.github.eagle4j.ExplainOptions;
import io.github.eagle4j.SearchKind;
import io.github.eagle4j.TextExplainer;
import io.github.eagle4j.TokenScorer;
import io.github.eagle4j.VisionLanguageModel;
import io.github.eagle4j.onnx.OnnxModel;
import io.github.eagle4j.text.SpanMode;
import io.github.eagle4j.text.TextExplanation;
import io.github.eagle4j.text.TextMask;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;

/**
 * Measures the text-only search on yes/no questions about rendered scenes (a developer tool behind the number in
 * docs/text.md, not an {@code eagle} command): for each seed it asks "Is there a COLOUR SHAPE?" (even seeds about
 * an object of the scene, odd seeds about a colour and shape the scene lacks, both drawn from the seed), takes the
 * model's own greedy answer, explains its first token over the question's words with the image intact, and counts
 * the items whose top word is the question's colour or shape word, for each mask.
 * <pre>
 *   java -cp eagle4j-cli/target/eagle4j-cli-*-all.jar io.github.eagle4j.cli.TextRegionsMeasurement \
 *       --model models/tiny-shapes-llava --seeds 6000-6047
 * </pre>
 */
@Command(name = "text-regions-measurement", mixinStandardHelpOptions = true,
        description = "Top word of yes/no answers over rendered scenes, per text mask.")
public final class TextRegionsMeasurement implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "DIR", description = "An ONNX model folder.")
    Path model;

    @Option(names = "--seeds", required = true, paramLabel = "A-B", description = "Scene seeds, one item each.")
    String seeds;

    @Option(names = "--search", defaultValue = "full", paramLabel = "KIND", description = "full, efficient, lazy or fast. Default: ${DEFAULT-VALUE}.")
    String search;

    @Option(names = "--lambda1", defaultValue = "1", paramLabel = "X", description = "Weight of the insertion term. Default: ${DEFAULT-VALUE}.")
    double lambda1;

    @Option(names = "--lambda2", defaultValue = "1", paramLabel = "X", description = "Weight of the deletion term. Default: ${DEFAULT-VALUE}.")
    double lambda2;

    @Option(names = "--pointing", description = "Instead: on the items about an object of the scene, compare the pointing game "
            + "(mask) of the image-only explanation with the joint search's image regions (grid 4x4).")
    boolean pointing;

    @Option(names = "--pointing-mask", defaultValue = "pad", paramLabel = "MASK",
            description = "The joint search's text mask with --pointing: pad or drop. Default: ${DEFAULT-VALUE}.")
    String pointingMask;

    @Option(names = "--verbose", description = "One line per item.")
    boolean verbose;

    /** One question. */
    record Question(long seed, String colour, String shape) {
        String prompt() {
            return "Is there a " + colour + " " + shape + "?";
        }
    }

    /** The question of a seed: even seeds ask about one of the scene's objects, odd seeds about an absent pair. */
    static Question question(ShapeScene scene) {
        Random r = new Random(scene.seed());
        if (scene.seed() % 2 == 0 && !scene.objects().isEmpty()) {
            ShapeScene.SceneObject o = scene.objects().get(r.nextInt(scene.objects().size()));
            return new Question(scene.seed(), o.colour(), o.shape());
        }
        List<String[]> absent = new ArrayList<>();
        for (String c : ShapeScene.COLOURS) {
            for (String s : ShapeScene.SHAPES) {
                if (scene.objects().stream().noneMatch(o -> o.colour().equals(c) && o.shape().equals(s))) {
                    absent.add(new String[] {c, s});
                }
            }
        }
        String[] pick = absent.get(r.nextInt(absent.size()));
        return new Question(scene.seed(), pick[0], pick[1]);
    }

    /** The pointing game of image-only and joint explanations, on the items whose object is in the scene. */
    private int pointing(OnnxModel m, long a, long b, ExplainOptions options) {
        int items = 0;
        int imageHits = 0;
        int jointHits = 0;
        for (long s = a; s <= b; s++) {
            ShapeScene scene = ShapeScene.render(s);
            Question q = question(scene);
            ShapeScene.SceneObject object = scene.objects().stream()
                    .filter(o -> o.colour().equals(q.colour()) && o.shape().equals(q.shape())).findFirst().orElse(null);
            if (object == null) {
                continue;
            }
            VisionLanguageModel.Generation g = m.generate(scene.image(), q.prompt(), 4);
            io.github.eagle4j.RegionSet regions = new io.github.eagle4j.regions.GridSegmenter(4, 4).segment(scene.image());
            try (TokenScorer scorer = m.scorer(q.prompt(), g, List.of(0))) {
                io.github.eagle4j.Explanation image = new io.github.eagle4j.Explainer(options).explain(scene.image(), regions, scorer,
                        io.github.eagle4j.ProgressListener.NONE);
                io.github.eagle4j.text.JointExplanation joint = new io.github.eagle4j.JointExplainer(options, SpanMode.WORDS, TextMask.valueOf(pointingMask.toUpperCase(Locale.ROOT)))
                        .explain(scene.image(), regions, scorer, io.github.eagle4j.ProgressListener.NONE);
                boolean ih = io.github.eagle4j.metrics.PointingGame.hits(regions, image.regionScores(), null, object.mask()).get("mask");
                boolean jh = io.github.eagle4j.metrics.PointingGame.hits(regions, joint.regionScores(), null, object.mask()).get("mask");
                items++;
                imageHits += ih ? 1 : 0;
                jointHits += jh ? 1 : 0;
                if (verbose) {
                    System.out.printf(Locale.ROOT, "%d %s -> %s | image %s | joint %s | evidence image %.3f prompt %.3f prior %.3f (%s)%n", s,
                            q.prompt(), g.text(), ih ? "hit" : "miss", jh ? "hit" : "miss", joint.answerEvidence().image(),
                            joint.answerEvidence().prompt(), joint.answerEvidence().neither(), joint.answerEvidence().label());
                }
            }
        }
        System.out.printf(Locale.ROOT, "pointing game (mask): image-only %d of %d, joint (%s) %d of %d%n", imageHits, items, pointingMask,
                jointHits, items);
        return 0;
    }

    @Override
    public Integer call() {
        String[] ab = seeds.split("-");
        long a = Long.parseLong(ab[0].strip());
        long b = Long.parseLong(ab[1].strip());
        ExplainOptions options = ExplainOptions.builder().search(SearchKind.valueOf(search.toUpperCase(Locale.ROOT)))
                .lambdas(lambda1, lambda2).build();
        int[] hits = new int[TextMask.values().length];
        long[] passes = new long[TextMask.values().length];
        int items = 0;
        try (OnnxModel m = OnnxModel.open(model)) {
            if (pointing) {
                return pointing(m, a, b, options);
            }
            for (long s = a; s <= b; s++) {
                ShapeScene scene = ShapeScene.render(s);
                Question q = question(scene);
                VisionLanguageModel.Generation g = m.generate(scene.image(), q.prompt(), 4);
                items++;
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%d %s -> %s", s, q.prompt(), g.text()));
                for (TextMask mask : TextMask.values()) {
                    try (TokenScorer scorer = m.scorer(q.prompt(), g, List.of(0))) {
                        TextExplanation e = new TextExplainer(options, SpanMode.WORDS, mask).explain(scene.image(), scorer);
                        String top = e.topSpan().text().strip();
                        boolean hit = top.equals(q.colour()) || top.equals(q.shape());
                        hits[mask.ordinal()] += hit ? 1 : 0;
                        passes[mask.ordinal()] += e.forwardPasses();
                        line.append(String.format(Locale.ROOT, " | %s top '%s'%s", mask.cliName(), top, hit ? "" : " (miss)"));
                    }
                }
                if (verbose) {
                    System.out.println(line);
                }
            }
        }
        for (TextMask mask : TextMask.values()) {
            System.out.printf(Locale.ROOT, "%s: top word is the colour or shape in %d of %d items (%.1f %%), %d inputs scored%n",
                    mask.cliName(), hits[mask.ordinal()], items, 100.0 * hits[mask.ordinal()] / items, passes[mask.ordinal()]);
        }
        return 0;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new TextRegionsMeasurement()).execute(args));
    }
}
