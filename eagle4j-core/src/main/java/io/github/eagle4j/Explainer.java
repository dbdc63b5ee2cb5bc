package io.github.eagle4j;

import io.github.eagle4j.masking.Masker;
import io.github.eagle4j.metrics.AttributionMap;
import io.github.eagle4j.metrics.FaithfulnessMetrics;
import io.github.eagle4j.metrics.TokenReliance;
import io.github.eagle4j.search.FastSearch;
import io.github.eagle4j.search.KeptRegionsScorer;
import io.github.eagle4j.search.SharedImages;
import io.github.eagle4j.search.Objective;
import io.github.eagle4j.search.RegionSearch;
import io.github.eagle4j.search.SearchBudget;
import io.github.eagle4j.search.SearchTrace;
import io.github.eagle4j.search.StepVerifier;
import io.github.eagle4j.search.TokenSearches;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Explains which image regions a model's answer tokens rest on: divides the image into regions, orders
 * them with the configured search over the EAGLE objective, and computes the map and metrics. With
 * {@link ExplainOptions#method()} set to a baseline (RISE, LIME, KernelSHAP, occlusion, random), the baseline
 * orders the same regions instead and its order is scored with the same curve protocol.
 *
 * <pre>{@code
 * Explanation e = new Explainer(ExplainOptions.defaults()).explain(image, scorer);
 * }</pre>
 *
 * Thread-safe: an explainer holds only its immutable options.
 */
public final class Explainer {
    private final ExplainOptions options;
    private final UnaryOperator<RegionSearch> searchWrapper;

    public Explainer(ExplainOptions options) {
        this(options, UnaryOperator.identity());
    }

    private Explainer(ExplainOptions options, UnaryOperator<RegionSearch> searchWrapper) {
        this.options = Objects.requireNonNull(options, "options");
        this.searchWrapper = Objects.requireNonNull(searchWrapper, "searchWrapper");
    }

    /**
     * An explainer whose searches are the configured ones passed through {@code wrapper}, e.g. into a
     * {@link io.github.eagle4j.search.HierarchicalSearch} that runs the configured search at two levels over the frames
     * of several images. Baselines are not wrapped.
     */
    public Explainer withSearch(UnaryOperator<RegionSearch> wrapper) {
        return new Explainer(options, wrapper);
    }

    public ExplainOptions options() {
        return options;
    }

    /** Explains {@code scorer}'s targets on {@code image} without progress reports. */
    public Explanation explain(RgbImage image, TokenScorer scorer) {
        return explain(image, scorer, ProgressListener.NONE);
    }

    /** Divides {@code image} with the configured segmenter, then explains. */
    public Explanation explain(RgbImage image, TokenScorer scorer, ProgressListener listener) {
        long start = System.nanoTime();
        RegionSet regions = options.segmenter().segment(image);
        return explain(image, regions, scorer, listener, start);
    }

    /** Explains on a given region partition (e.g. a replayed {@code regions.png}). */
    public Explanation explain(RgbImage image, RegionSet regions, TokenScorer scorer, ProgressListener listener) {
        return explain(image, regions, scorer, listener, System.nanoTime());
    }

    private static SearchTrace run(RegionSearch search, KeptRegionsScorer scorer, RegionSet regions,
                                   ProgressListener listener) {
        return search.search(scorer, regions.areaFractions(), listener);
    }

    /** Progress of search {@code index} of {@code searches}, each over N regions, as one count. */
    private static ProgressListener scaled(ProgressListener listener, int index, int searches, int n) {
        if (searches == 1) {
            return listener;
        }
        return (placed, total, images) -> listener.onProgress(index * n + placed, searches * n, images);
    }

    private Explanation explain(RgbImage image, RegionSet regions, TokenScorer scorer, ProgressListener listener,
                                long startNanos) {
        if (regions.width() != image.width() || regions.height() != image.height()) {
            throw new InvalidInputException("regions are " + regions.width() + "x" + regions.height()
                    + " but the image is " + image.width() + "x" + image.height());
        }
        if (options.method() != ExplainMethod.EAGLE) {
            return BaselineExplainer.explain(options, image, regions, scorer, listener, startNanos);
        }
        ScoringTask task = scorer.task();
        Objective objective = Searches.objective(options);
        RegionSearch search = searchWrapper.apply(Searches.create(options, objective, scorer.maxBatchSize()));
        MaskedImageScorer keptScorer = new MaskedImageScorer(Masker.forScorer(image, regions, options.fill(), scorer), scorer,
                regions.regionCount());
        // with --each-token every search reads through one cache: an image gives every token's probability
        SharedImages shared = options.eachToken() ? new SharedImages(keptScorer) : null;
        KeptRegionsScorer searchScorer = shared != null ? shared : keptScorer;
        int n = regions.regionCount();
        int searches = options.eachToken() ? 1 + task.targets().size() : 1;
        SearchTrace trace = run(search, searchScorer, regions, scaled(listener, 0, searches, n));
        if (options.verifySteps() > 0) {
            StepVerifier.Result v = new StepVerifier(objective).verify(searchScorer, trace.order(),
                    options.verifySteps(), options.seed());
            trace = trace.withVerification(v.verification(), v.calls());
        }
        List<TokenExplanation> perToken = new ArrayList<>();
        if (shared != null) {
            perToken = perToken(task, shared, objective, regions, scorer.maxBatchSize(), listener, searches, n);
        }
        long forwardPasses = shared != null ? shared.imagesScored() : trace.imagesScored();
        int scorerCalls = shared != null ? shared.calls() : trace.scorerCalls();

        FaithfulnessMetrics metrics = FaithfulnessMetrics.of(trace, options.sensitivityThreshold());
        double f0 = objective.ofEmptySet(trace.fullImageProbs(), trace.blankImageProbs());
        double[] regionScores = AttributionMap.regionScores(trace, f0);
        List<TokenReliance> reliance = TokenReliance.of(trace, task.targets());

        ScorerDescription scorerDescription = scorer.description();
        boolean approximate = trace.approximate() || scorerDescription.approximate();
        long elapsedMs = (System.nanoTime() - startNanos) / 1_000_000;

        Provenance provenance = new Provenance(Provenance.TOOL, Version.get(), scorerDescription.backend(),
                scorerDescription.model(), scorerDescription.precision(), segmentation(regions, options.segmenter()),
                regions.regionCount(), regions.unlabelledPixelCount(), image.width(), image.height(),
                search.settings(), null, options.sensitivityThreshold(), options.eachToken(), scorer.statistics(),
                options.verifySteps() > 0 ? options.seed() : null);
        Ordering ordering = new Ordering(ExplainMethod.EAGLE, options.search(), options.lambda1(), options.lambda2(),
                options.fill(), trace.exactness(), approximate, trace.certificate());
        Curves curves = Curves.of(trace);
        Metrics m = new Metrics(trace.fullImageProbs().clone(), trace.blankImageProbs().clone(), metrics.insertionAuc(),
                metrics.deletionAuc(), metrics.highestConfidence(), metrics.sensitive(), reliance);
        return new Explanation(task, regions, curves, m, regionScores, ordering,
                new Cost(forwardPasses, scorerCalls, elapsedMs), provenance, perToken);
    }

    /**
     * Every target's own search over the shared images ({@link TokenSearches}); a fast search without
     * {@code --budget} keeps the whole explanation within {@link TokenSearches#defaultTotal}.
     */
    private List<TokenExplanation> perToken(ScoringTask task, SharedImages shared, Objective objective,
                                            RegionSet regions, int maxBatchSize, ProgressListener listener,
                                            int searches, int n) {
        long total = SearchBudget.UNLIMITED;
        // the default total is kept by taught fast searches alone (another search, or one wrapped, has no such share)
        boolean fast = searchWrapper.apply(Searches.create(options, objective, maxBatchSize)) instanceof FastSearch;
        if (fast && !options.hasBudget()) {
            total = TokenSearches.defaultTotal(n, task.targets().size(), shared.imagesScored());
        }
        List<SearchTrace> traces = TokenSearches.run(shared,
                budget -> searchWrapper.apply(Searches.create(budget == options.budget() ? options
                        : options.toBuilder().budget(budget).build(), objective, maxBatchSize)),
                total, options.budget(), regions.areaFractions(), t -> scaled(listener, t + 1, searches, n));
        List<TokenExplanation> perToken = new ArrayList<>();
        for (int t = 0; t < traces.size(); t++) {
            SearchTrace tt = traces.get(t);
            FaithfulnessMetrics m = FaithfulnessMetrics.of(tt, options.sensitivityThreshold());
            double[] scores = AttributionMap.regionScores(tt,
                    objective.ofEmptySet(tt.fullImageProbs(), tt.blankImageProbs()));
            perToken.add(new TokenExplanation(task.targets().get(t), tt.order(), scores, m.insertionAuc(),
                    m.deletionAuc(), tt.exactness(), tt.imagesScored(), tt.certificate()));
        }
        return perToken;
    }

    /** The segmentation the regions carry; for regions built from labels alone, the segmenter's configured settings. */
    static Segmentation segmentation(RegionSet regions, Segmenter segmenter) {
        return regions.segmentation().orElseGet(() -> new Segmentation(segmenter.name(), segmenter.settings()));
    }
}
