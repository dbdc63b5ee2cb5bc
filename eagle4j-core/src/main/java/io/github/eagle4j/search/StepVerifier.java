package io.github.eagle4j.search;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Re-checks a finished order ({@code --verify-steps K}): samples K of its steps 2..N−1 (step 1 is a full scoring
 * in every search, step N has one candidate), and at each scores every region not placed before it against the
 * regions placed before it, in one call per step, as full greedy would. A step agrees when the region placed
 * there has the largest objective. The sample is seeded, so the same order, K and seed re-check the same steps.
 */
public final class StepVerifier {
    private final Objective objective;

    public StepVerifier(Objective objective) {
        this.objective = Objects.requireNonNull(objective, "objective");
    }

    /** The outcome and the number of scorer calls it took. */
    public record Result(StepVerification verification, int calls) {
    }

    /**
     * @param order region ids, most important first (the trace's order)
     * @param steps K ≥ 1; all steps 2..N−1 when K is larger
     */
    public Result verify(KeptRegionsScorer scorer, int[] order, int steps, long seed) {
        int n = order.length;
        List<Integer> candidates = new ArrayList<>();
        for (int k = 2; k <= n - 1; k++) {
            candidates.add(k);
        }
        // a seeded partial Fisher–Yates shuffle picks the sample
        SplittableRandom random = new SplittableRandom(seed);
        int take = Math.min(steps, candidates.size());
        for (int i = 0; i < take; i++) {
            int j = i + random.nextInt(candidates.size() - i);
            Integer t = candidates.get(i);
            candidates.set(i, candidates.get(j));
            candidates.set(j, t);
        }
        List<Integer> sample = new ArrayList<>(candidates.subList(0, take));
        sample.sort(null);

        List<Boolean> agreed = new ArrayList<>();
        long images = 0;
        for (int k : sample) {
            BitSet before = new BitSet(n);
            for (int j = 0; j < k - 1; j++) {
                before.set(order[j]);
            }
            int[] ids = new int[n - k + 1];
            List<BitSet> batch = new ArrayList<>(2 * ids.length);
            for (int j = k - 1, i = 0; j < n; j++, i++) {
                ids[i] = order[j];
                BitSet kept = KeptSets.plus(before, order[j]);
                batch.add(kept);
                batch.add(KeptSets.complement(kept, n));
            }
            double[][] probs = scorer.scoreKept(batch);
            images += batch.size();
            double placed = objective.value(probs[0], probs[1]);
            boolean agrees = true;
            for (int i = 1; i < ids.length; i++) {
                if (objective.value(probs[2 * i], probs[2 * i + 1]) > placed) {
                    agrees = false;
                    break;
                }
            }
            agreed.add(agrees);
        }
        return new Result(new StepVerification(sample, agreed, images, seed), sample.size());
    }
}
