package io.github.eagle4j;

import io.github.eagle4j.metrics.FaithfulnessMetrics;

import java.util.Objects;

/**
 * Every setting of an explanation, immutable, with all defaults in one place ({@link #defaults()}). The
 * CLI and the Java API build the same record and run the same engine.
 *
 * @param segmenter            how the image is divided into regions (default SLIC, 64 nominal regions)
 * @param fill                 what removed pixels become (default black, the paper's)
 * @param search               region-ordering search (default full greedy, the paper's)
 * @param lambda1              weight of sufficiency in the objective (default 1)
 * @param lambda2              weight of necessity in the objective (default 1)
 * @param searchScope          efficient search: candidates re-scored per scoped step, s (default 10)
 * @param pendingSamples       efficient search: back-end candidates, p (default 8)
 * @param updateStep           efficient search: full re-rank every u iterations (default 5)
 * @param lazyBatch            lazy search: stale entries re-scored per call, b; 0 = the scorer's batch size capped at 8
 * @param earlyStopEpsilon     stop when F_k ≥ F(V) − ε·|F(V)|; negative = no early stop (default off)
 * @param sensitivityThreshold a target is sensitive when full − blank exceeds this (default 0.2)
 * @param method               what orders the regions (default EAGLE; the others are baselines, same regions and fill)
 * @param baselineSamples      images a sampling baseline (RISE, LIME, KernelSHAP) scores to build its order
 *                             (default {@link #DEFAULT_BASELINE_SAMPLES})
 * @param seed                 seed of the sampling baselines, the random order, the fast search's random masks and
 *                             the re-checked steps (default 0)
 * @param budget               images one search may score, or -1 for no budget (default)
 * @param fastWindow           fast search: candidates re-scored per step by latest gain (default 1)
 * @param fastExplore          fast search: candidates re-scored per step by the surrogate's predictions (default 2)
 * @param verifySteps          steps of the finished order re-scored in full to check them (default 0)
 * @param eachToken            also explain every target token on its own (default false)
 */
public record ExplainOptions(Segmenter segmenter, Fill fill, SearchKind search, double lambda1, double lambda2,
                             int searchScope, int pendingSamples, int updateStep, int lazyBatch,
                             double earlyStopEpsilon, double sensitivityThreshold, ExplainMethod method,
                             int baselineSamples, long seed, long budget, int fastWindow, int fastExplore,
                             int verifySteps, boolean eachToken) {

    /** The authors' faithfulness default. */
    public static final int DEFAULT_REGIONS = 64;
    /** The API name of {@link #budget()} in messages ({@link InvalidInputException#input()}). */
    public static final String BUDGET = "budget";
    /** The API name of the early stop ({@link Builder#earlyStop(double)}) in messages. */
    public static final String EARLY_STOP = "earlyStop";

    /**
     * Default sample count of RISE, LIME and KernelSHAP: on dev scenes, beyond it their insertion AUC stays flat and
     * 4× the images improve deletion AUC by only 0.01–0.05 (docs/baselines.md); it is also LIME's own default and
     * about a quarter of full greedy's 4,160 images for 64 regions.
     */
    public static final int DEFAULT_BASELINE_SAMPLES = 1000;

    public ExplainOptions {
        Objects.requireNonNull(segmenter, "segmenter");
        Objects.requireNonNull(fill, "fill");
        Objects.requireNonNull(search, "search");
        new io.github.eagle4j.search.Objective(lambda1, lambda2); // validates the λs here, before any model runs
        if (searchScope < 1 || pendingSamples < 1 || updateStep < 1) {
            throw new IllegalArgumentException("search scope, pending samples and update step must be ≥ 1");
        }
        if (lazyBatch < 0) {
            throw new IllegalArgumentException("lazy batch must be ≥ 0 (0 = automatic), got " + lazyBatch);
        }
        if (!(sensitivityThreshold >= 0 && sensitivityThreshold < 1)) {
            throw new IllegalArgumentException("sensitivity threshold must be in [0, 1), got " + sensitivityThreshold);
        }
        Objects.requireNonNull(method, "method");
        if (baselineSamples < 2) {
            throw new IllegalArgumentException("baseline samples must be ≥ 2, got " + baselineSamples);
        }
        if (budget != -1 && budget < 1) {
            throw new IllegalArgumentException("budget must be at least 1 image, got " + budget);
        }
        if (fastWindow < 1) {
            throw new IllegalArgumentException("fast window must be ≥ 1, got " + fastWindow);
        }
        if (fastExplore < 0) {
            throw new IllegalArgumentException("fast explore must be ≥ 0, got " + fastExplore);
        }
        if (verifySteps < 0) {
            throw new IllegalArgumentException("verify steps must be ≥ 0, got " + verifySteps);
        }
    }

    /** True when a budget is set. */
    public boolean hasBudget() {
        return budget != -1;
    }

    /** The defaults: SLIC with 64 nominal regions, black fill, full greedy, λ1 = λ2 = 1, s/p/u = 10/8/5. */
    public static ExplainOptions defaults() {
        return builder().build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.segmenter = segmenter;
        b.fill = fill;
        b.search = search;
        b.lambda1 = lambda1;
        b.lambda2 = lambda2;
        b.searchScope = searchScope;
        b.pendingSamples = pendingSamples;
        b.updateStep = updateStep;
        b.lazyBatch = lazyBatch;
        b.earlyStopEpsilon = earlyStopEpsilon;
        b.sensitivityThreshold = sensitivityThreshold;
        b.method = method;
        b.baselineSamples = baselineSamples;
        b.seed = seed;
        b.budget = budget;
        b.fastWindow = fastWindow;
        b.fastExplore = fastExplore;
        b.verifySteps = verifySteps;
        b.eachToken = eachToken;
        return b;
    }

    /** True when early stop is on. */
    public boolean earlyStop() {
        return earlyStopEpsilon >= 0;
    }

    /** Fluent construction of {@link ExplainOptions}; unset fields keep the defaults. */
    public static final class Builder {
        private Segmenter segmenter;
        private Fill fill = Fill.BLACK;
        private SearchKind search = SearchKind.FULL;
        private double lambda1 = 1.0;
        private double lambda2 = 1.0;
        private int searchScope = 10;
        private int pendingSamples = 8;
        private int updateStep = 5;
        private int lazyBatch = 0;
        private double earlyStopEpsilon = -1;
        private double sensitivityThreshold = FaithfulnessMetrics.DEFAULT_SENSITIVITY;
        private ExplainMethod method = ExplainMethod.EAGLE;
        private int baselineSamples = DEFAULT_BASELINE_SAMPLES;
        private long seed;
        private long budget = -1;
        private int fastWindow = io.github.eagle4j.search.FastSearch.DEFAULT_WINDOW;
        private int fastExplore = io.github.eagle4j.search.FastSearch.DEFAULT_EXPLORE;
        private int verifySteps = 0;
        private boolean eachToken = false;

        private Builder() {
        }

        /** Any segmenter, e.g. a grid or a user label map. */
        public Builder segmenter(Segmenter value) {
            this.segmenter = value;
            return this;
        }

        /** SLIC superpixels with this nominal region count. */
        public Builder regions(int nominalRegions) {
            this.segmenter = new io.github.eagle4j.regions.SlicSegmenter(nominalRegions);
            return this;
        }

        public Builder fill(Fill value) {
            this.fill = value;
            return this;
        }

        public Builder search(SearchKind value) {
            this.search = value;
            return this;
        }

        public Builder lambdas(double l1, double l2) {
            this.lambda1 = l1;
            this.lambda2 = l2;
            return this;
        }

        /** Efficient search knobs s, p, u. */
        public Builder efficient(int scope, int pending, int update) {
            this.searchScope = scope;
            this.pendingSamples = pending;
            this.updateStep = update;
            return this;
        }

        public Builder lazyBatch(int value) {
            this.lazyBatch = value;
            return this;
        }

        /** Turns early stop on with tolerance ε (docs/method.md §7). */
        public Builder earlyStop(double epsilon) {
            if (!(epsilon >= 0)) {
                throw new IllegalArgumentException("early-stop epsilon must be ≥ 0, got " + epsilon);
            }
            this.earlyStopEpsilon = epsilon;
            return this;
        }

        public Builder sensitivityThreshold(double value) {
            this.sensitivityThreshold = value;
            return this;
        }

        /** What orders the regions: EAGLE (default) or a baseline. */
        public Builder method(ExplainMethod value) {
            this.method = value;
            return this;
        }

        /** Images a sampling baseline scores to build its order. */
        public Builder baselineSamples(int value) {
            this.baselineSamples = value;
            return this;
        }

        /** Seed of the sampling baselines, the random order, the fast search's masks and the re-checked steps. */
        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        /** At most this many images per search (docs/search.md); -1 for none. */
        public Builder budget(long images) {
            this.budget = images;
            return this;
        }

        /** Fast search: candidates re-scored per step by their latest gains. */
        public Builder fastWindow(int value) {
            this.fastWindow = value;
            return this;
        }

        /** Fast search: candidates re-scored per step by the surrogate's predictions (0 = no masks, no surrogate). */
        public Builder fastExplore(int value) {
            this.fastExplore = value;
            return this;
        }

        /** Re-scores this many sampled steps in full after the search and reports the agreement (seeded by {@link #seed}). */
        public Builder verifySteps(int value) {
            this.verifySteps = value;
            return this;
        }

        /** Also explains every target token on its own, sharing scored images. */
        public Builder eachToken(boolean value) {
            this.eachToken = value;
            return this;
        }

        public ExplainOptions build() {
            Segmenter s = segmenter != null ? segmenter : new io.github.eagle4j.regions.SlicSegmenter(DEFAULT_REGIONS);
            return new ExplainOptions(s, fill, search, lambda1, lambda2, searchScope, pendingSamples, updateStep,
                    lazyBatch, earlyStopEpsilon, sensitivityThreshold, method, baselineSamples, seed, budget, fastWindow,
                    fastExplore, verifySteps, eachToken);
        }
    }
}
