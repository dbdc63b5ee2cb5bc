package io.github.eagle4j.text;

import io.github.eagle4j.FrameLayout;
import io.github.eagle4j.MaskedBatch;
import io.github.eagle4j.RegionSet;
import io.github.eagle4j.ScoringException;
import io.github.eagle4j.Target;
import io.github.eagle4j.TokenScorer;
import io.github.eagle4j.masking.Masker;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * How the image part of an {@link EvidenceSplit} divides among the prompt's images (docs/text.md, "Several images and
 * video"): each image (or group of frames that regions join, e.g. the two frames of a temporal pair) is a player,
 * the prompt one more, and a player's share is its Owen value for the coalitions {images} and {prompt}. Between the
 * two coalitions that is the two-player Shapley split of {@link EvidenceSplit}; within the images it is each image's
 * Shapley value, averaged over the prompt hidden and the prompt intact:
 * {@code share_i = ½[φ_i(S ↦ p(S, no prompt)) + φ_i(S ↦ p(S, prompt))]}, so the shares sum to the split's
 * {@code image} exactly.
 *
 * <p>Up to {@link #EXACT_UP_TO} groups every subset is scored ({@code 2^(K+1)} inputs); above, {@link #PERMUTATIONS}
 * orders of the groups drawn with a fixed seed (each with its reverse) give an estimate whose shares still sum to
 * {@code image} exactly. All inputs, the split's four included, go to the scorer in one call.
 *
 * @param groups       per group, the frame indices it holds, in frame order
 * @param evidence     per target, the split (its four probabilities come from this call's inputs)
 * @param shares       per target, the image part of each group ({@code [target][group]})
 * @param answerShares the shares of the targets' mean split (their mean)
 * @param exact        whether every subset was scored (else sampled orders)
 * @param permutations orders of the groups sampled (0 when exact)
 * @param inputs       inputs scored
 */
public record ImageShares(List<List<Integer>> groups, List<EvidenceSplit> evidence, double[][] shares, double[] answerShares,
                          boolean exact, int permutations, int inputs) {
    /** Groups up to which every subset of them is scored. */
    public static final int EXACT_UP_TO = 6;
    /** Orders sampled above {@link #EXACT_UP_TO} groups (half of them the reverses of the others). */
    public static final int PERMUTATIONS = 16;

    public ImageShares {
        groups = List.copyOf(groups.stream().map(List::copyOf).toList());
        evidence = List.copyOf(evidence);
    }

    /** The split of the targets' mean with the mean shares ({@link EvidenceSplit#mean}). */
    public EvidenceSplit answerEvidence() {
        return EvidenceSplit.mean(evidence);
    }

    /**
     * Groups the frames that regions join: frames no region crosses are groups of one; a region that spans frames puts
     * them in one group.
     */
    public static List<List<Integer>> frameGroups(FrameLayout frames, RegionSet regions) {
        int k = frames.count();
        int[] parent = new int[k];
        for (int i = 0; i < k; i++) {
            parent[i] = i;
        }
        int[] firstFrame = new int[regions.regionCount()];
        Arrays.fill(firstFrame, -1);
        for (int y = 0; y < regions.height(); y++) {
            for (int x = 0; x < regions.width(); x++) {
                int r = regions.label(x, y);
                int f = frames.frameAt(x, y);
                if (r == RegionSet.UNLABELLED || f < 0) {
                    continue;
                }
                if (firstFrame[r] < 0) {
                    firstFrame[r] = f;
                } else {
                    parent[root(parent, f)] = root(parent, firstFrame[r]);
                }
            }
        }
        Map<Integer, List<Integer>> byRoot = new LinkedHashMap<>();
        for (int f = 0; f < k; f++) {
            byRoot.computeIfAbsent(root(parent, f), x -> new ArrayList<>()).add(f);
        }
        return new ArrayList<>(byRoot.values());
    }

    private static int root(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    /**
     * Scores the inputs of every target in one call and splits them.
     *
     * @param masker the canvas of the frames, its regions and the fill
     * @param spans  the prompt's spans ("the prompt hidden" hides them all with {@code mask})
     * @param seed   the seed of the sampled orders (used above {@link #EXACT_UP_TO} groups)
     */
    public static ImageShares measure(TokenScorer scorer, Masker masker, FrameLayout frames, List<TextSpan> spans, TextMask mask,
                                      long seed) {
        RegionSet regions = masker.regions();
        List<List<Integer>> groups = frameGroups(frames, regions);
        int k = groups.size();
        if (k > 62) {
            throw new IllegalArgumentException("image shares take at most 62 groups of frames, got " + k);
        }
        BitSet[] groupRegions = groupRegions(frames, regions, groups);
        // the subsets of groups to score, as bit masks over the groups; the empty set and all groups come first
        List<int[]> orders = new ArrayList<>();
        Map<Long, Integer> index = new LinkedHashMap<>();
        long all = (1L << k) - 1;
        index.put(0L, 0);
        index.put(all, index.size());
        boolean exact = k <= EXACT_UP_TO;
        if (exact) {
            for (long s = 1; s < all; s++) {
                index.put(s, index.size());
            }
        } else {
            Random random = new Random(seed);
            for (int p = 0; p < PERMUTATIONS / 2; p++) {
                int[] order = shuffled(k, random);
                int[] reverse = new int[k];
                for (int i = 0; i < k; i++) {
                    reverse[i] = order[k - 1 - i];
                }
                for (int[] o : List.of(order, reverse)) {
                    orders.add(o);
                    long s = 0;
                    for (int i = 0; i < k - 1; i++) {
                        s |= 1L << o[i];
                        index.putIfAbsent(s, index.size());
                    }
                }
            }
        }
        List<Long> subsets = new ArrayList<>(index.keySet());
        int n = subsets.size();
        BitSet allSpans = new BitSet();
        allSpans.set(0, spans.size());
        List<BitSet> kept = new ArrayList<>(2 * n);
        List<BitSet> keptSpans = new ArrayList<>(2 * n);
        for (int prompt = 0; prompt < 2; prompt++) {
            for (long s : subsets) {
                BitSet r = new BitSet();
                for (int g = 0; g < k; g++) {
                    if ((s >> g & 1) != 0) {
                        r.or(groupRegions[g]);
                    }
                }
                kept.add(r);
                keptSpans.add(prompt == 1 ? allSpans : new BitSet());
            }
        }
        double[][] p = scorer.scoreText(TextMaskBatch.onMaskedImages(new MaskedBatch(masker, kept), mask, spans, keptSpans));
        if (p == null || p.length != 2 * n) {
            throw new ScoringException("scorer " + scorer.description().backend() + " returned " + (p == null ? "nothing" : p.length + " rows")
                    + " for " + 2 * n + " inputs");
        }
        List<Target> targets = scorer.task().targets();
        List<EvidenceSplit> evidence = new ArrayList<>();
        double[][] shares = new double[targets.size()][];
        double[] answer = new double[k];
        for (int t = 0; t < targets.size(); t++) {
            final int col = t;
            // v(S, prompt): row of subset S with the prompt hidden (0) or intact (1)
            java.util.function.BiFunction<Long, Integer, Double> v = (s, prompt) -> p[prompt * n + index.get(s)][col];
            evidence.add(EvidenceSplit.of(targets.get(t), v.apply(all, 1), v.apply(all, 0), v.apply(0L, 1), v.apply(0L, 0)));
            double[] share = new double[k];
            for (int prompt = 0; prompt < 2; prompt++) {
                final int pr = prompt;
                double[] phi = exact ? shapley(k, s -> v.apply(s, pr)) : sampled(k, orders, s -> v.apply(s, pr));
                for (int g = 0; g < k; g++) {
                    share[g] += 0.5 * phi[g];
                }
            }
            shares[t] = share;
            for (int g = 0; g < k; g++) {
                answer[g] += share[g] / targets.size();
            }
        }
        return new ImageShares(groups, evidence, shares, answer, exact, exact ? 0 : orders.size(), 2 * n);
    }

    /** Per group, the region ids whose pixels lie in its frames. */
    private static BitSet[] groupRegions(FrameLayout frames, RegionSet regions, List<List<Integer>> groups) {
        int[] groupOfFrame = new int[frames.count()];
        for (int g = 0; g < groups.size(); g++) {
            for (int f : groups.get(g)) {
                groupOfFrame[f] = g;
            }
        }
        BitSet[] out = new BitSet[groups.size()];
        for (int g = 0; g < out.length; g++) {
            out[g] = new BitSet();
        }
        for (int y = 0; y < regions.height(); y++) {
            for (int x = 0; x < regions.width(); x++) {
                int r = regions.label(x, y);
                int f = frames.frameAt(x, y);
                if (r != RegionSet.UNLABELLED && f >= 0) {
                    out[groupOfFrame[f]].set(r);
                }
            }
        }
        return out;
    }

    /** Exact Shapley values of the game {@code v} over {@code k} players (subsets as bit masks). */
    static double[] shapley(int k, java.util.function.LongToDoubleFunction v) {
        double[] weight = new double[k];
        // weight of a coalition of size s not holding the player: s!(k-s-1)!/k!
        for (int s = 0; s < k; s++) {
            weight[s] = 1.0 / (k * binomial(k - 1, s));
        }
        double[] phi = new double[k];
        long all = (1L << k) - 1;
        for (long s = 0; s <= all; s++) {
            double value = v.applyAsDouble(s);
            int size = Long.bitCount(s);
            for (int i = 0; i < k; i++) {
                if ((s >> i & 1) != 0) {
                    phi[i] += weight[size - 1] * value;
                } else {
                    phi[i] -= weight[size] * value;
                }
            }
        }
        return phi;
    }

    /** The mean marginal contribution of each player along the given orders. */
    private static double[] sampled(int k, List<int[]> orders, java.util.function.LongToDoubleFunction v) {
        double[] phi = new double[k];
        for (int[] order : orders) {
            long s = 0;
            double before = v.applyAsDouble(0L);
            for (int player : order) {
                s |= 1L << player;
                double after = v.applyAsDouble(s);
                phi[player] += (after - before) / orders.size();
                before = after;
            }
        }
        return phi;
    }

    private static double binomial(int n, int r) {
        double b = 1;
        for (int i = 1; i <= r; i++) {
            b = b * (n - r + i) / i;
        }
        return b;
    }

    private static int[] shuffled(int k, Random random) {
        int[] o = new int[k];
        for (int i = 0; i < k; i++) {
            o[i] = i;
        }
        for (int i = k - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = o[i];
            o[i] = o[j];
            o[j] = t;
        }
        return o;
    }
}
