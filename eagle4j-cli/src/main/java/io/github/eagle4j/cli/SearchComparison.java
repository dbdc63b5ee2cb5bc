package io.github.eagle4j.cli;

import io.github.eagle4j.AnswerToken;
import io.github.eagle4j.ExplainOptions;
import io.github.eagle4j.Explainer;
import io.github.eagle4j.Explanation;
import io.github.eagle4j.FrameLayout;
import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.ProgressListener;
import io.github.eagle4j.RegionSet;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.ScoringTask;
import io.github.eagle4j.SearchKind;
import io.github.eagle4j.Segmenter;
import io.github.eagle4j.TargetSelection;
import io.github.eagle4j.TokenScorer;
import io.github.eagle4j.VisionLanguageModel;
import io.github.eagle4j.evaluation.dataset.ItemEvaluator;
import io.github.eagle4j.evaluation.dataset.Manifest;
import io.github.eagle4j.imageio.ImageFiles;
import io.github.eagle4j.MaskedBatch;
import io.github.eagle4j.regions.GridSegmenter;
import io.github.eagle4j.regions.SlicSegmenter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Measures the searches against full greedy on a set of items (a developer tool behind the numbers of
 * docs/search.md, not an {@code eagle} command): for every item it runs full greedy and the other searches asked
 * for on the same regions and prints, per search, the mean insertion and deletion AUC, their ratio and difference
 * to full greedy's, the images scored as a share of full greedy's, and the share of items whose insertion AUC is
 * below 95 % of full greedy's (the tail).
 * <pre>
 *   java -cp eagle4j-cli/target/eagle4j-cli-*-all.jar io.github.eagle4j.cli.SearchComparison \
 *       --manifest examples/scenes/manifest.jsonl --segmentation slic64 --methods fast,lazy
 *   java -cp eagle4j-cli/target/eagle4j-cli-*-all.jar io.github.eagle4j.cli.SearchComparison \
 *       --seeds 300-323 --segmentation grid8x8 --methods fast
 * </pre>
 * With {@code --seeds}, every scene gives two items: its caption with every answer token as a target, and a yes/no
 * question (even seeds ask about the scene's first object, odd seeds about a colour and shape it lacks). Scored
 * images are cached per item in memory, so the searches share the model's work; each search's count is what it
 * asked for, cache or not.
 */
@Command(name = "search-comparison", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Compares searches with full greedy: AUCs, images scored, tail share.")
public final class SearchComparison implements Callable<Integer> {
    @Mixin
    ModelOptions model = new ModelOptions();

    @Option(names = "--manifest", paramLabel = "FILE.jsonl", description = "Items of an evaluation manifest (no labelled items).")
    Path manifest;

    @Option(names = "--seeds", paramLabel = "A-B", description = "Render scenes with these seeds: a caption and a yes/no item each.")
    String seeds;

    @Option(names = "--segmentation", defaultValue = "slic64", paramLabel = "slic64|grid8x8",
            description = "slicN (SLIC, N nominal regions) or gridRxC. Default: ${DEFAULT-VALUE}.")
    String segmentation;

    @Option(names = "--methods", defaultValue = "fast", split = ",", paramLabel = "LIST",
            description = "Searches besides full: fast, lazy, efficient, full-early (full with --early-stop), "
                    + "fast@W (window W), fast#B (budget B images), fast%P (budget P % of full greedy's). Default: ${DEFAULT-VALUE}.")
    List<String> methods;

    @Option(names = "--kinds", defaultValue = "caption,yesno", split = ",", paramLabel = "LIST",
            description = "With --seeds: caption (every answer token), yesno, colour (the caption's first colour word "
                    + "alone, as the shipped scenes). Default: ${DEFAULT-VALUE}.")
    List<String> kinds;

    @Option(names = "--items", paramLabel = "CSV", description = "Also write one line per item and method here.")
    Path items;

    @Option(names = "--curves", paramLabel = "CSV",
            description = "Also write every point of every curve here (item, method, position, region, insertion, deletion).")
    Path curves;

    @Option(names = "--each-token", paramLabel = "SEARCH",
            description = "Instead: caption items only; explain every token with --each-token and this search, and "
                    + "compare each token's insertion AUC with full greedy on that token alone.")
    String eachToken;

    @Option(names = "--answer-tokens", paramLabel = "K",
            description = "With --each-token: only captions of at least K answer tokens.")
    Integer answerTokenCount;

    @Option(names = "--limit", paramLabel = "ITEMS", description = "With --each-token: at most this many captions.")
    Integer limit;

    @Option(names = "--cache", paramLabel = "DIR", description = "Keep each item's scored images here between runs (development).")
    Path cacheDir;

    public static void main(String[] args) {
        CommandLine cmd = new CommandLine(new SearchComparison());
        cmd.setOut(new PrintWriter(System.out, true));
        cmd.setErr(new PrintWriter(System.err, true));
        System.exit(cmd.execute(args));
    }

    /** One item: image, prompt, answer and target indices (null = every answer token). */
    private record Item(String id, RgbImage image, String prompt, String answer, Manifest.Item manifestItem,
                        String word) {
        Item(String id, RgbImage image, String prompt, String answer, Manifest.Item manifestItem) {
            this(id, image, prompt, answer, manifestItem, null);
        }
    }

    /** Per method: sums over items. */
    private static final class Tally {
        double ins;
        double del;
        long images;
        double ratioSum;
        int tail;
        int count;
    }

    @Override
    public Integer call() throws Exception {
        Segmenter segmenter = segmenter(segmentation);
        List<Item> list = items();
        if (eachToken != null) {
            return eachToken(segmenter, list.stream().filter(i -> i.id().startsWith("caption-")).toList());
        }
        PrintWriter out = new PrintWriter(System.out, true);
        Map<String, Tally> tallies = new LinkedHashMap<>();
        tallies.put("full", new Tally());
        methods = methods.stream().map(String::strip).filter(m -> !m.equals("none")).toList();
        for (String m : methods) {
            tallies.put(m, new Tally());
        }
        StringBuilder csv = new StringBuilder("item,method,regions,insertionAuc,deletionAuc,images,stepsVerified,stepsSearched\n");
        StringBuilder points = new StringBuilder("item,method,position,region,insertion,deletion\n");
        long start = System.nanoTime();
        try (VisionLanguageModel vlm = Models.open(model)) {
            for (Item item : list) {
                List<AnswerToken> tokens = vlm.answerTokens(item.prompt(), item.answer());
                List<Integer> targets = item.manifestItem() != null ? ItemEvaluator.targets(item.manifestItem(), tokens)
                        : item.word() != null ? firstToken(tokens, item.word()) : TargetSelection.all(tokens);
                RegionSet regions = segmenter.segment(item.image());
                try (TokenScorer base = vlm.scorer(item.prompt(), item.answer(), targets)) {
                    CachingScorer scorer = new CachingScorer(base);
                    Path cacheFile = cacheDir == null ? null : cacheDir.resolve(item.id() + "-" + segmentation + ".bin");
                    if (cacheFile != null && Files.isRegularFile(cacheFile)) {
                        scorer.load(cacheFile);
                    }
                    Explanation full = run(item, regions, scorer, segmenter, "full");
                    record(tallies.get("full"), full, full, csv, item, "full");
                    points(points, full, item, "full");
                    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-18s N=%2d full ins %.4f del %.4f %5d",
                            item.id(), regions.regionCount(), full.metrics().insertionAuc(), full.metrics().deletionAuc(), full.cost().forwardPasses()));
                    for (String m : methods) {
                        Explanation e = run(item, regions, scorer, segmenter, m.strip());
                        record(tallies.get(m.strip()), e, full, csv, item, m.strip());
                        points(points, e, item, m.strip());
                        line.append(String.format(Locale.ROOT, " | %s ins %.4f del %.4f %5d", m.strip(), e.metrics().insertionAuc(),
                                e.metrics().deletionAuc(), e.cost().forwardPasses()));
                        if (System.getenv("EAGLE_COMPARE_TRACE") != null) {
                            System.err.println(trace("full", full) + "\n" + trace(m, e));
                        }
                    }
                    System.err.println(line);
                    if (cacheFile != null) {
                        Files.createDirectories(cacheDir);
                        scorer.save(cacheFile);
                    }
                }
            }
        }
        Tally f = tallies.get("full");
        out.printf(Locale.ROOT, "%d items, %s, %.0f s%n", f.count, segmentation, (System.nanoTime() - start) / 1e9);
        out.printf(Locale.ROOT, "%-14s %9s %9s %9s %9s %9s %9s %9s%n", "method", "ins AUC", "del AUC", "ins/full",
                "del-full", "images", "img/full", "tail<95%");
        for (Map.Entry<String, Tally> e : tallies.entrySet()) {
            Tally t = e.getValue();
            out.printf(Locale.ROOT, "%-14s %9.4f %9.4f %8.2f%% %+9.4f %9.0f %8.1f%% %8.1f%%%n", e.getKey(), t.ins / t.count,
                    t.del / t.count, 100 * t.ins / f.ins, (t.del - f.del) / t.count, (double) t.images / t.count,
                    100.0 * t.images / f.images, 100.0 * t.tail / t.count);
        }
        if (items != null) {
            Files.writeString(items, csv.toString());
        }
        if (curves != null) {
            Files.writeString(curves, points.toString());
        }
        return 0;
    }

    /** The {@code --each-token} measurement: images against one full greedy run, per-token AUC against full greedy. */
    private int eachToken(Segmenter segmenter, List<Item> list) throws Exception {
        double ratioSum = 0;
        int tokens = 0;
        double imageRatioSum = 0;
        double worstImageRatio = 0;
        int lowTokens = 0;
        long start = System.nanoTime();
        int captions = 0;
        try (VisionLanguageModel vlm = Models.open(model)) {
            for (Item item : list) {
                List<AnswerToken> answerTokens = vlm.answerTokens(item.prompt(), item.answer());
                List<Integer> targets = TargetSelection.all(answerTokens);
                if (answerTokenCount != null && targets.size() < answerTokenCount) {
                    continue;
                }
                if (limit != null && captions >= limit) {
                    break;
                }
                captions++;
                RegionSet regions = segmenter.segment(item.image());
                long n = regions.regionCount();
                try (TokenScorer base = vlm.scorer(item.prompt(), item.answer(), targets)) {
                    CachingScorer scorer = new CachingScorer(base);
                    Path cacheFile = cacheDir == null ? null
                            : cacheDir.resolve(item.id() + "-" + segmentation + "-each.bin");
                    if (cacheFile != null && Files.isRegularFile(cacheFile)) {
                        scorer.load(cacheFile);
                    }
                    ExplainOptions.Builder b = ExplainOptions.builder().segmenter(segmenter).eachToken(true)
                            .search(SearchKind.valueOf(eachToken.toUpperCase(Locale.ROOT)));
                    Explanation e = new Explainer(b.build()).explain(item.image(), regions, scorer,
                            ProgressListener.NONE);
                    double imageRatio = e.cost().forwardPasses() / (double) (n * (n + 1));
                    imageRatioSum += imageRatio;
                    worstImageRatio = Math.max(worstImageRatio, imageRatio);
                    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-12s N=%d T=%d images %d = %.2fx full:",
                            item.id(), n, targets.size(), e.cost().forwardPasses(), imageRatio));
                    for (int t = 0; t < targets.size(); t++) {
                        Explanation alone = new Explainer(ExplainOptions.builder().segmenter(segmenter).build())
                                .explain(item.image(), regions, new Column(scorer, t), ProgressListener.NONE);
                        double ratio = e.perToken().get(t).insertionAuc() / alone.metrics().insertionAuc();
                        ratioSum += ratio;
                        tokens++;
                        if (ratio < 0.95) {
                            lowTokens++;
                        }
                        line.append(String.format(Locale.ROOT, " %s %.3f/%.3f", answerTokens.get(t).text(),
                                e.perToken().get(t).insertionAuc(), alone.metrics().insertionAuc()));
                    }
                    System.err.println(line);
                    if (cacheFile != null) {
                        Files.createDirectories(cacheDir);
                        scorer.save(cacheFile);
                    }
                }
            }
        }
        PrintWriter out = new PrintWriter(System.out, true);
        out.printf(Locale.ROOT, "%d captions, %d tokens, %s, --each-token --search %s, %.0f s%n", captions, tokens,
                segmentation, eachToken, (System.nanoTime() - start) / 1e9);
        out.printf(Locale.ROOT, "images per caption / one full greedy explanation: mean %.2fx, worst %.2fx%n",
                imageRatioSum / captions, worstImageRatio);
        out.printf(Locale.ROOT, "token insertion AUC / that token alone with full greedy: mean %.2f%%, "
                + "tokens below 95%%: %.1f%%%n", 100 * ratioSum / tokens, 100.0 * lowTokens / tokens);
        return 0;
    }

    /** One target's column of a scorer of every answer token: that token explained alone, sharing the cache. */
    private static final class Column implements TokenScorer {
        private final TokenScorer all;
        private final int target;

        Column(TokenScorer all, int target) {
            this.all = all;
            this.target = target;
        }

        @Override
        public ScoringTask task() {
            ScoringTask t = all.task();
            return new ScoringTask(t.prompt(), t.answer(), t.answerTokens(), List.of(t.targets().get(target)));
        }

        @Override
        public double[][] score(List<RgbImage> images) {
            return column(all.score(images));
        }

        @Override
        public double[][] scoreMasked(MaskedBatch batch) {
            return column(all.scoreMasked(batch));
        }

        private double[][] column(double[][] rows) {
            double[][] out = new double[rows.length][];
            for (int i = 0; i < rows.length; i++) {
                out[i] = new double[] {rows[i][target]};
            }
            return out;
        }
    }

    private static String trace(String name, Explanation e) {
        StringBuilder sb = new StringBuilder(name + ":");
        for (int k = 0; k < Math.min(24, e.curves().order().length); k++) {
            sb.append(String.format(Locale.ROOT, " %d(%.2f/%.2f)", e.curves().order()[k], e.curves().insertionCurve()[k], e.curves().deletionCurve()[k]));
        }
        return sb.toString();
    }

    private static void points(StringBuilder out, Explanation e, Item item, String method) {
        int[] order = e.curves().order();
        for (int k = 0; k < order.length; k++) {
            out.append(String.format(Locale.ROOT, "%s,%s,%d,%d,%.6f,%.6f%n", item.id(), method, k + 1, order[k],
                    e.curves().insertionCurve()[k], e.curves().deletionCurve()[k]));
        }
    }

    private void record(Tally t, Explanation e, Explanation full, StringBuilder csv, Item item, String method) {
        t.ins += e.metrics().insertionAuc();
        t.del += e.metrics().deletionAuc();
        t.images += e.cost().forwardPasses();
        t.count++;
        if (e.metrics().insertionAuc() < 0.95 * full.metrics().insertionAuc()) {
            t.tail++;
        }
        csv.append(String.format(Locale.ROOT, "%s,%s,%d,%.6f,%.6f,%d,%d,%d%n", item.id(), method, e.regionCount(),
                e.metrics().insertionAuc(), e.metrics().deletionAuc(), e.cost().forwardPasses(), e.ordering().certificate().stepsVerified(),
                e.ordering().certificate().stepsSearched()));
    }

    private static Explanation run(Item item, RegionSet regions, TokenScorer scorer, Segmenter segmenter, String method) {
        ExplainOptions.Builder b = ExplainOptions.builder().segmenter(segmenter);
        String m = method;
        int at = m.indexOf('#');
        if (at >= 0) {
            b.budget(Long.parseLong(m.substring(at + 1)));
            m = m.substring(0, at);
        }
        at = m.indexOf('%');
        if (at >= 0) {
            long n = regions.regionCount();
            b.budget(n * (n + 1) * Long.parseLong(m.substring(at + 1)) / 100);
            m = m.substring(0, at);
        }
        at = m.indexOf('@');
        if (at >= 0) {
            b.fastWindow(Integer.parseInt(m.substring(at + 1)));
            m = m.substring(0, at);
        }
        if (m.equals("full-early")) {
            b.search(SearchKind.FULL).earlyStop(0.01);
        } else {
            b.search(SearchKind.valueOf(m.toUpperCase(Locale.ROOT)));
        }
        return new Explainer(b.build()).explain(item.image(), regions, scorer, ProgressListener.NONE);
    }

    private List<Item> items() {
        List<Item> out = new ArrayList<>();
        if (manifest != null) {
            for (Manifest.Item it : Manifest.read(manifest).items()) {
                if (it.labelled() || it.answer() == null) {
                    throw new InvalidInputException("--manifest " + manifest + ": item " + it.id()
                            + " needs an answer and no label");
                }
                if (it.severalImages() || it.hasVideo()) {
                    throw new InvalidInputException("--manifest " + manifest + " line " + it.line() + ": item " + it.id()
                            + " has " + (it.hasVideo() ? "a 'video'" : "several 'images'")
                            + "; the search comparison takes one image per item");
                }
                out.add(new Item(it.id(), ImageFiles.read(it.image()), it.prompt(), it.answer(), it));
            }
        }
        if (seeds != null) {
            String[] ab = seeds.split("-");
            long a = Long.parseLong(ab[0].strip());
            long b = Long.parseLong(ab[1].strip());
            for (long s = a; s <= b; s++) {
                ShapeScene scene = ShapeScene.render(s);
                if (kinds.contains("caption")) {
                    out.add(new Item("caption-" + s, scene.image(), ExampleScenes.CAPTION_PROMPT, scene.caption(), null));
                }
                if (kinds.contains("yesno")) {
                    String[] q = question(scene);
                    out.add(new Item("yesno-" + s, scene.image(), "Is there a " + q[0] + "?", q[1], null));
                }
                if (kinds.contains("colour") && !scene.objects().isEmpty()) {
                    out.add(new Item("colour-" + s, scene.image(), ExampleScenes.CAPTION_PROMPT, scene.caption(), null,
                            scene.objects().get(0).colour()));
                }
            }
        }
        if (out.isEmpty()) {
            throw new InvalidInputException("give --manifest or --seeds");
        }
        return out;
    }

    /** The first answer token that reads {@code word}. */
    private static List<Integer> firstToken(List<AnswerToken> tokens, String word) {
        for (AnswerToken t : tokens) {
            if (t.text().strip().equals(word)) {
                return List.of(t.index());
            }
        }
        throw new IllegalStateException("no answer token reads " + word);
    }

    /** Even seeds ask about the first object (yes); odd seeds about the first colour and shape absent (no). */
    private static String[] question(ShapeScene scene) {
        if (scene.seed() % 2 == 0 && !scene.objects().isEmpty()) {
            return new String[] {scene.objects().get(0).words(), "yes"};
        }
        for (String c : ShapeScene.COLOURS) {
            for (String sh : ShapeScene.SHAPES) {
                String w = c + " " + sh;
                if (scene.objects().stream().noneMatch(o -> o.words().equals(w))) {
                    return new String[] {w, "no"};
                }
            }
        }
        throw new IllegalStateException("every colour and shape is in scene " + scene.seed());
    }

    static Segmenter segmenter(String spec) {
        String s = spec.toLowerCase(Locale.ROOT);
        if (s.startsWith("slic")) {
            return new SlicSegmenter(Integer.parseInt(s.substring(4)));
        }
        if (s.startsWith("grid")) {
            String[] rc = s.substring(4).split("x");
            return new GridSegmenter(Integer.parseInt(rc[0]), Integer.parseInt(rc[1]));
        }
        throw new InvalidInputException("--segmentation " + spec + ": expected slicN or gridRxC");
    }

    /** Remembers every scored kept-region set of one item, so several searches pay for an image once. */
    private static final class CachingScorer implements TokenScorer {
        private final TokenScorer scorer;
        private final Map<BitSet, double[]> cache = new HashMap<>();

        CachingScorer(TokenScorer scorer) {
            this.scorer = scorer;
        }

        void load(Path file) throws java.io.IOException {
            try (var in = new java.io.DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)))) {
                int count = in.readInt();
                for (int i = 0; i < count; i++) {
                    long[] words = new long[in.readInt()];
                    for (int w = 0; w < words.length; w++) {
                        words[w] = in.readLong();
                    }
                    double[] p = new double[in.readInt()];
                    for (int t = 0; t < p.length; t++) {
                        p[t] = in.readDouble();
                    }
                    cache.put(BitSet.valueOf(words), p);
                }
            }
        }

        void save(Path file) throws java.io.IOException {
            try (var out = new java.io.DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(file)))) {
                out.writeInt(cache.size());
                for (Map.Entry<BitSet, double[]> e : cache.entrySet()) {
                    long[] words = e.getKey().toLongArray();
                    out.writeInt(words.length);
                    for (long w : words) {
                        out.writeLong(w);
                    }
                    out.writeInt(e.getValue().length);
                    for (double d : e.getValue()) {
                        out.writeDouble(d);
                    }
                }
            }
        }

        @Override
        public ScoringTask task() {
            return scorer.task();
        }

        @Override
        public int maxBatchSize() {
            return scorer.maxBatchSize();
        }

        @Override
        public java.util.Optional<FrameLayout> frames() {
            return scorer.frames();
        }

        @Override
        public double[][] score(List<RgbImage> images) {
            return scorer.score(images);
        }

        @Override
        public double[][] scoreMasked(MaskedBatch batch) {
            List<BitSet> kept = batch.keptSets();
            double[][] out = new double[kept.size()][];
            List<BitSet> misses = new ArrayList<>();
            List<Integer> where = new ArrayList<>();
            for (int i = 0; i < out.length; i++) {
                double[] hit = cache.get(kept.get(i));
                if (hit != null) {
                    out[i] = hit.clone();
                } else {
                    misses.add(kept.get(i));
                    where.add(i);
                }
            }
            if (!misses.isEmpty()) {
                double[][] scored = scorer.scoreMasked(new MaskedBatch(batch.masker(), misses));
                for (int j = 0; j < scored.length; j++) {
                    out[where.get(j)] = scored[j];
                    cache.put(misses.get(j), scored[j].clone());
                }
            }
            return out;
        }
    }
}
