package io.github.eagle4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.VisionLanguageModel;
import io.github.eagle4j.imageio.ImageFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * Writes the example data set of {@code examples/scenes/} (a developer tool, not an {@code eagle} command):
 * <ul>
 *   <li>{@code manifest.jsonl}: held-out scenes rendered by {@link ShapeScene} (byte-identical to
 *       {@code fixtures/scenes.py}), one grounding item per scene — the caption prompt, the true caption as the
 *       answer, the colour word of one object (position-resolved to that object) as the target, the object's box
 *       and mask;</li>
 *   <li>with {@code --hallucinations N}: {@code hallucinations.jsonl}, yes/no questions about held-out scenes that
 *       the model really answers wrongly (it says the other word), found by asking it: up to half of them from
 *       every colour/shape question about intact scenes (one per scene), the rest from questions about an object partly blacked out (a band of its box), where the truth follows the
 *       training rule (present when at least half its pixels are visible, {@code fixtures/SCENES.md}).</li>
 * </ul>
 * <pre>
 *   java -cp eagle4j-cli/target/eagle4j-cli-*-all.jar io.github.eagle4j.cli.ExampleScenes --out examples/scenes \
 *       --seeds 1-48 --hallucinations 12 --search-seeds 0-999
 * </pre>
 * Deterministic: the same model and arguments write the same files.
 */
@Command(name = "example-scenes", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Writes examples/scenes: held-out scene images, object masks, manifest.jsonl and (with a model) "
                + "hallucinations.jsonl of yes/no questions the model answers wrongly.")
public final class ExampleScenes implements Callable<Integer> {
    static final String CAPTION_PROMPT = "Describe the image.";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Visible fractions of a partly hidden object that the search tries (truth flips at 0.5). */
    private static final double[] VISIBLE = {0.25, 0.35, 0.45, 0.55, 0.65, 0.75};
    private static final String[] SIDES = {"bottom", "top", "left", "right"};

    @Mixin
    ModelOptions model = new ModelOptions();

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder, e.g. examples/scenes.")
    Path out;

    @Option(names = "--seeds", defaultValue = "1-48", paramLabel = "A-B",
            description = "Held-out scene seeds of the grounding manifest (default ${DEFAULT-VALUE}; held out: 0..999).")
    String seeds;

    @Option(names = "--hallucinations", defaultValue = "0", paramLabel = "N",
            description = "Also search for N yes/no questions the model answers wrongly (0 = no model needed).")
    int hallucinations;

    @Option(names = "--search-seeds", defaultValue = "0-999", paramLabel = "A-B",
            description = "Held-out seeds searched for wrong answers (default ${DEFAULT-VALUE}).")
    String searchSeeds;

    @Option(names = "--max-new-tokens", defaultValue = "8", paramLabel = "N", description = "Answer length (default ${DEFAULT-VALUE}).")
    int maxNewTokens;

    public static void main(String[] args) {
        CommandLine cmd = new CommandLine(new ExampleScenes());
        cmd.setOut(new PrintWriter(System.out, true));
        cmd.setErr(new PrintWriter(System.err, true));
        System.exit(cmd.execute(args));
    }

    @Override
    public Integer call() throws IOException {
        Files.createDirectories(out);
        int[] range = range(seeds, "--seeds");
        List<String> lines = new ArrayList<>();
        for (int seed = range[0]; seed <= range[1]; seed++) {
            lines.add(groundingItem(ShapeScene.render(seed)));
        }
        Files.write(out.resolve("manifest.jsonl"), lines, StandardCharsets.UTF_8);
        System.err.printf(Locale.ROOT, "wrote %d scenes and %s%n", lines.size(), out.resolve("manifest.jsonl"));
        if (hallucinations > 0) {
            try (VisionLanguageModel vlm = Models.open(model)) {
                List<String> found = searchHallucinations(vlm);
                Files.write(out.resolve("hallucinations.jsonl"), found, StandardCharsets.UTF_8);
                System.err.printf(Locale.ROOT, "wrote %d wrongly answered questions to %s%n", found.size(),
                        out.resolve("hallucinations.jsonl"));
            }
        }
        return 0;
    }

    /** Writes the scene's image and masks; the item explains the colour word of one object. */
    private String groundingItem(ShapeScene scene) throws IOException {
        String base = String.format(Locale.ROOT, "scene-%03d", scene.seed());
        ImageFiles.writePng(scene.image(), out.resolve(base + ".png"));
        for (int k = 0; k < scene.objects().size(); k++) {
            writeMask(scene.objects().get(k).mask(), out.resolve(base + "-mask" + k + ".png"));
        }
        List<ShapeScene.SceneObject> ltr = scene.leftToRight();
        // one object per scene, chosen by the seed; its colour word's occurrence among the caption's colour words
        ShapeScene.SceneObject target = ltr.get((int) (scene.seed() % ltr.size()));
        int occurrence = 0;
        for (ShapeScene.SceneObject o : ltr) {
            if (o.colour().equals(target.colour())) {
                occurrence++;
            }
            if (o == target) {
                break;
            }
        }
        int maskIndex = scene.objects().indexOf(target);
        ObjectNode item = MAPPER.createObjectNode();
        item.put("id", base);
        item.put("image", base + ".png");
        item.put("prompt", CAPTION_PROMPT);
        item.put("answer", scene.caption());
        item.put("targets", target.colour());
        item.put("targetOccurrence", occurrence);
        int[] b = target.box();
        item.putArray("box").add(b[0]).add(b[1]).add(b[2]).add(b[3]);
        item.put("mask", base + "-mask" + maskIndex + ".png");
        ObjectNode meta = item.putObject("meta");
        meta.put("seed", scene.seed());
        meta.put("object", target.words());
        return MAPPER.writeValueAsString(item);
    }

    private List<String> searchHallucinations(VisionLanguageModel vlm) throws IOException {
        int[] range = range(searchSeeds, "--search-seeds");
        List<String> intact = new ArrayList<>();
        List<String> hidden = new ArrayList<>();
        Set<Long> usedSeeds = new LinkedHashSet<>();
        int asked = 0;
        // 1. intact held-out scenes: every colour/shape question (half of the cases wanted)
        int intactWanted = (hallucinations + 1) / 2;
        for (int seed = range[0]; seed <= range[1] && intact.size() < intactWanted; seed++) {
            ShapeScene scene = ShapeScene.render(seed);
            for (String colour : ShapeScene.COLOURS) {
                for (String shape : ShapeScene.SHAPES) {
                    boolean present = scene.objects().stream()
                            .anyMatch(o -> o.colour().equals(colour) && o.shape().equals(shape));
                    String q = "Is there a " + colour + " " + shape + "?";
                    String answer = vlm.generate(scene.image(), q, maxNewTokens).text();
                    asked++;
                    String truth = present ? "yes" : "no";
                    if (saysTheOpposite(answer, truth) && usedSeeds.add((long) seed)) {
                        String name = String.format(Locale.ROOT, "halluc-%03d-%s-%s", seed, colour, shape);
                        ImageFiles.writePng(scene.image(), out.resolve(name + ".png"));
                        intact.add(hallucinationItem(name, q, truth, answer, scene, colour, shape, null, 1.0, "intact"));
                        break;
                    }
                }
                if (usedSeeds.contains((long) seed)) {
                    break;
                }
            }
        }
        // 2. an object partly blacked out: a band of its box from one side (the rest)
        for (int seed = range[0]; seed <= range[1] && intact.size() + hidden.size() < hallucinations; seed++) {
            if (usedSeeds.contains((long) seed)) {
                continue;
            }
            ShapeScene scene = ShapeScene.render(seed);
            search:
            for (ShapeScene.SceneObject o : scene.objects()) {
                for (int v = 0; v < VISIBLE.length; v++) {
                    String side = SIDES[(seed + v) % SIDES.length];
                    Hidden h = hide(scene, o, VISIBLE[v], side);
                    String q = "Is there a " + o.colour() + " " + o.shape() + "?";
                    String answer = vlm.generate(h.image, q, maxNewTokens).text();
                    asked++;
                    String truth = h.present ? "yes" : "no";
                    if (saysTheOpposite(answer, truth)) {
                        String name = String.format(Locale.ROOT, "halluc-%03d-%s-%s-%s%02d", seed, o.colour(), o.shape(),
                                side, Math.round(100 * h.visibleFraction));
                        ImageFiles.writePng(h.image, out.resolve(name + ".png"));
                        hidden.add(hallucinationItem(name, q, truth, answer, scene, o.colour(), o.shape(), o,
                                h.visibleFraction, "hidden-" + side));
                        usedSeeds.add((long) seed);
                        break search;
                    }
                }
            }
        }
        System.err.printf(Locale.ROOT, "asked %d questions: %d wrong on intact scenes, %d on partly hidden objects%n",
                asked, intact.size(), hidden.size());
        List<String> all = new ArrayList<>(intact);
        all.addAll(hidden);
        return all;
    }

    /** A real yes/no error: the answer is the other word (not garbage, which an untrained model produces). */
    private static boolean saysTheOpposite(String answer, String truth) {
        return answer.strip().startsWith(truth.equals("yes") ? "no" : "yes");
    }

    private String hallucinationItem(String name, String question, String truth, String answer, ShapeScene scene,
                                     String colour, String shape, ShapeScene.SceneObject hiddenObject,
                                     double visible, String kind) throws IOException {
        ObjectNode item = MAPPER.createObjectNode();
        item.put("id", name);
        item.put("image", name + ".png");
        item.put("prompt", question);
        item.put("label", truth);
        // ground truth of the asked-about object where it is present
        ShapeScene.SceneObject asked = scene.objects().stream()
                .filter(o -> o.colour().equals(colour) && o.shape().equals(shape)).findFirst().orElse(null);
        if (asked != null && truth.equals("yes")) {
            int[] b = asked.box();
            item.putArray("box").add(b[0]).add(b[1]).add(b[2]).add(b[3]);
            String maskFile = name + "-mask.png";
            writeMask(asked.mask(), out.resolve(maskFile));
            item.put("mask", maskFile);
        }
        ObjectNode meta = item.putObject("meta");
        meta.put("seed", scene.seed());
        meta.put("kind", kind);
        meta.put("sceneCaption", scene.caption());
        if (hiddenObject != null) {
            meta.put("visibleFraction", Math.round(visible * 10000) / 10000.0);
        }
        meta.put("modelAnswer", answer);
        return MAPPER.writeValueAsString(item);
    }

    private record Hidden(RgbImage image, double visibleFraction, boolean present) {
    }

    /**
     * Blacks out a band of the object's box from {@code side} until at most {@code target} of its pixels stay
     * visible (whole rows or columns of the box). Presence follows SCENES.md: visible ≥ half the mask pixels.
     */
    private static Hidden hide(ShapeScene scene, ShapeScene.SceneObject o, double target, String side) {
        int size = ShapeScene.SIZE;
        boolean[] mask = o.mask();
        int total = 0;
        for (boolean b : mask) {
            total += b ? 1 : 0;
        }
        int[] px = scene.image().pixels();
        boolean horizontal = side.equals("bottom") || side.equals("top");
        int visible = total;
        for (int step = 0; step < o.side() && visible > target * total; step++) {
            for (int t = 0; t < o.side(); t++) {
                int x;
                int y;
                if (horizontal) {
                    y = side.equals("bottom") ? o.y0() + o.side() - 1 - step : o.y0() + step;
                    x = o.x0() + t;
                } else {
                    x = side.equals("right") ? o.x0() + o.side() - 1 - step : o.x0() + step;
                    y = o.y0() + t;
                }
                int i = y * size + x;
                if (mask[i]) {
                    visible--;
                }
                px[i] = 0;
            }
        }
        return new Hidden(RgbImage.adopt(size, size, px), (double) visible / total, 2L * visible >= total);
    }

    private static void writeMask(boolean[] mask, Path file) {
        double[] v = new double[mask.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = mask[i] ? 1.0 : 0.0;
        }
        ImageFiles.writeGrayPng(ShapeScene.SIZE, ShapeScene.SIZE, v, file);
    }

    private static int[] range(String spec, String option) {
        String[] p = spec.split("-");
        try {
            int a = Integer.parseInt(p[0].strip());
            int b = p.length == 2 ? Integer.parseInt(p[1].strip()) : a;
            if (p.length <= 2 && a >= 0 && b >= a) {
                return new int[]{a, b};
            }
        } catch (NumberFormatException ignored) {
            // below
        }
        throw new InvalidInputException(option + " " + spec + ": expected A-B, e.g. 1-48");
    }
}
