package io.github.eagle4j.evaluation;

import io.github.eagle4j.ExplainMethod;
import io.github.eagle4j.ProgressListener;
import io.github.eagle4j.TokenScorer;
import io.github.eagle4j.baselines.RegionAttribution;
import io.github.eagle4j.baselines.RegionAttributionMethods;
import io.github.eagle4j.masking.Masker;

/**
 * One baseline on one evaluated item: the method builds its order ({@link RegionAttribution}), then the order is
 * scored with the protocol every method shares ({@link Baselines#score}), and the whole is timed.
 *
 * @param attribution the method's order, raw scores and images
 * @param score       the order's curves and metrics; its {@code forwardPasses} = the method's images + 2N
 * @param elapsedMs   wall time of both
 */
public record BaselineRun(RegionAttribution attribution, OrderScore score, long elapsedMs) {

    /**
     * Runs {@code method} on the masker's image and regions.
     *
     * @param samples              images a sampling method (RISE, LIME, KernelSHAP) scores; ignored by the others
     * @param seed                 the item's seed (the run's seed mixed with the item id)
     * @param sensitivityThreshold a target is sensitive when full − blank exceeds this
     */
    public static BaselineRun run(ExplainMethod method, int samples, long seed, Masker masker, TokenScorer scorer,
                                  double sensitivityThreshold) {
        long start = System.nanoTime();
        RegionAttribution a = RegionAttributionMethods.create(method, samples, seed)
                .attribute(masker, scorer, ProgressListener.NONE);
        OrderScore s = Baselines.score(method.cliName(), a.order(), masker, scorer, sensitivityThreshold,
                a.imagesScored());
        return new BaselineRun(a, s, (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * The samples that give a sampling method the same total images as EAGLE spent on the item: EAGLE's images
     * minus the 2N curve images every baseline's order is then scored with (at least 2).
     */
    public static int samplesAtBudget(long eagleImages, int regionCount) {
        long samples = eagleImages - 2L * regionCount;
        return (int) Math.max(2, Math.min(Integer.MAX_VALUE, samples));
    }
}
