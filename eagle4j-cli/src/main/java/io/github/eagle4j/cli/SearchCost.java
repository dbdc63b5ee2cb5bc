package io.github.eagle4j.cli;

import io.github.eagle4j.ExplainOptions;
import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.RgbImage;
import io.github.eagle4j.TokenScorer;
import io.github.eagle4j.evaluation.output.ImageBudget;

import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * What a search will cost, said before it runs: the images it may score (from its settings and N alone,
 * {@link ImageBudget}); above {@value #ESTIMATE_ABOVE} images also the time that takes at a rate measured on one batch;
 * above {@value #REFUSE_ABOVE} images a refusal unless {@code --allow-large-search} or a {@code --budget} (a full
 * greedy search on 2000 regions plans 4 million images: days on a laptop).
 */
final class SearchCost {
    /** From this many planned images on, a time estimate is measured and printed. */
    static final long ESTIMATE_ABOVE = 10_000;
    /** Searches planning more images than this are refused unless {@code --allow-large-search}. */
    static final long REFUSE_ABOVE = 1_000_000;
    /** The option that lifts the refusal. */
    static final String ALLOW = "--allow-large-search";

    private SearchCost() {
    }

    /** The most images the search may score. */
    static long planned(ExplainOptions options, int regions) {
        return ImageBudget.upperBound(options, regions);
    }

    /**
     * Refuses a search planning more than {@value #REFUSE_ABOVE} images unless allowed.
     *
     * @throws InvalidInputException naming the count, the search and what to change
     */
    static void check(ExplainOptions options, int regions, boolean allowed) {
        long images = planned(options, regions);
        // an explicit --budget is a statement of what the user will pay, as the flag is
        if (images > REFUSE_ABOVE && !allowed && !options.hasBudget()) {
            throw new InvalidInputException(String.format(Locale.ROOT, "--search %s on %d regions may score up to %,d images,"
                    + " more than the %,d eagle4j runs without asking; use fewer regions (--regions, --grid), --search efficient,"
                    + " lazy or fast, a --budget IMAGES, or add %s", options.search().cliName(), regions, images, REFUSE_ABOVE,
                    ALLOW));
        }
    }

    /**
     * For a search planning more than {@value #ESTIMATE_ABOVE} images: one line with the count and the time it takes
     * at the rate of one batch of copies of {@code image} scored now (up to 8 images, not counted in the run).
     */
    static java.util.Optional<String> estimate(ExplainOptions options, int regions, TokenScorer scorer, RgbImage image) {
        long images = planned(options, regions);
        if (images <= ESTIMATE_ABOVE) {
            return java.util.Optional.empty();
        }
        int probe = Math.max(1, Math.min(8, scorer.maxBatchSize()));
        List<RgbImage> batch = Collections.nCopies(probe, image);
        long t0 = System.nanoTime();
        scorer.score(batch);
        double perImage = (System.nanoTime() - t0) / 1e9 / probe;
        return java.util.Optional.of(String.format(Locale.ROOT, "planned: up to %,d images (--search %s on %d regions);"
                + " about %s at %.1f ms per image (measured on %d)", images, options.search().cliName(), regions,
                duration(images * perImage), perImage * 1000, probe));
    }

    static String duration(double seconds) {
        if (seconds < 90) {
            return String.format(Locale.ROOT, "%.0f s", seconds);
        }
        if (seconds < 90 * 60) {
            return String.format(Locale.ROOT, "%.0f min", seconds / 60);
        }
        if (seconds < 48 * 3600) {
            return String.format(Locale.ROOT, "%.1f h", seconds / 3600);
        }
        return String.format(Locale.ROOT, "%.1f days", seconds / 86400);
    }
}
