package io.github.eagle4j.search;

import io.github.eagle4j.Exactness;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects the points of a search's curves in final rank order, with the cumulative area and the objective
 * of each point computed in one place, so every search stores F with the λ it searched with (§15.4).
 */
final class TraceBuilder {
    private final Objective objective;
    private final double[] regionAreas;
    private final List<SearchStep> steps = new ArrayList<>();
    private double area;

    TraceBuilder(Objective objective, double[] regionAreas) {
        this.objective = objective;
        this.regionAreas = regionAreas;
    }

    int size() {
        return steps.size();
    }

    /** Appends the next rank with its scored probabilities. */
    void measured(int region, double[] insertionProbs, double[] deletionProbs) {
        area += regionAreas[region];
        steps.add(new SearchStep(region, objective.value(insertionProbs, deletionProbs), insertionProbs.clone(),
                deletionProbs.clone(), area, false));
    }

    /**
     * Appends {@code rest} (the regions an early stop did not place) with points on the straight line, over
     * the area axis, from the last point to (full image, blank image); the last region gets that end point
     * exactly, which was measured, so it alone is not marked interpolated.
     */
    void interpolatedTo(int[] rest, double[] fullImageProbs, double[] blankImageProbs) {
        if (rest.length == 0) {
            return;
        }
        SearchStep last = steps.get(steps.size() - 1);
        double[] areas = new double[rest.length];
        double a = area;
        for (int j = 0; j < rest.length; j++) {
            a += regionAreas[rest[j]];
            areas[j] = a;
        }
        double span = areas[rest.length - 1] - area;
        for (int j = 0; j < rest.length - 1; j++) {
            // zero-area regions would give 0/0: fall back to equal steps by rank
            double t = span > 0 ? (areas[j] - area) / span : (j + 1.0) / rest.length;
            double[] ins = lerp(last.insertionProbs(), fullImageProbs, t);
            double[] del = lerp(last.deletionProbs(), blankImageProbs, t);
            steps.add(new SearchStep(rest[j], objective.value(ins, del), ins, del, areas[j], true));
        }
        area = areas[rest.length - 1];
        steps.add(new SearchStep(rest[rest.length - 1], objective.value(fullImageProbs, blankImageProbs),
                fullImageProbs.clone(), blankImageProbs.clone(), area, false));
    }

    SearchTrace build(double[] fullImageProbs, double[] blankImageProbs, CheckedScorer scorer, Exactness exactness,
                      int stepsVerified, int stepsSearched, String tailOrder) {
        boolean approximate = steps.stream().anyMatch(SearchStep::interpolated);
        return new SearchTrace(steps, fullImageProbs.clone(), blankImageProbs.clone(), scorer.imagesScored(),
                scorer.calls(), exactness, approximate,
                new SearchCertificate(stepsVerified, stepsSearched, tailOrder, scorer.budget(), null));
    }

    /** The last point added. */
    SearchStep last() {
        return steps.get(steps.size() - 1);
    }

    private static double[] lerp(double[] from, double[] to, double t) {
        double[] out = new double[from.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (1 - t) * from[i] + t * to[i];
        }
        return out;
    }
}
