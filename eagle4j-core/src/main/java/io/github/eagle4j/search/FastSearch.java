package io.github.eagle4j.search;

import io.github.eagle4j.ProgressListener;
import io.github.eagle4j.SearchKind;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * eagle4j's fast search (docs/search.md): full greedy's choices at a small share of its images, a heuristic that
 * reports what it verified.
 *
 * <ol>
 *   <li><b>One first call</b> scores the original, the blank image, every region's insertion and deletion image
 *       (2N + 2 images: step 1 is full greedy's step 1, verified) and {@code masks} seeded random kept sets with
 *       their complements. Each random pair splits the regions in two; the difference of the objective of the two
 *       halves, credited to every region with the sign of its half and averaged, estimates each region's mean
 *       effect in a random context (a Banzhaf value). Unlike a single region's own gain it sees regions that matter
 *       only together, such as the pieces of an object that a model recognises from half of it.</li>
 *   <li><b>Windowed steps.</b> Each later step scores, against the regions placed so far and in one call, the
 *       {@code window} candidates with the largest latest gains (their last evaluation, fresh or stale) and the
 *       {@code explore} candidates with the largest mean effects that were not scored at the step before. While a
 *       candidate not yet scored at this step has a latest gain above the best fresh gain, the next
 *       {@code window} of them is scored (lazy greedy's test). The best freshly scored candidate is placed; a step
 *       at which every remaining candidate was scored is verified.</li>
 *   <li><b>Saturation.</b> Once the objective of the placed regions reaches that of the full image, within
 *       {@code saturation}·|F(V)|, the remaining regions are ordered by their mean effects and their curve points
 *       are scored in one call (2 per region; the last region's point is the original/blank pair).</li>
 *   <li><b>Budget.</b> With a budget the random masks shrink to fit, and the windowed steps stop early enough that
 *       the rest can still be ordered the same way with scored points; when even those do not fit they are
 *       interpolated (the trace is then approximate). Below 2N + 2 images the search is refused.</li>
 * </ol>
 * Deterministic: the masks come from a seeded generator; ties go to the larger value, then the lower region id.
 */
public final class FastSearch implements RegionSearch {
    /** Candidates re-scored per step by their latest gains. */
    public static final int DEFAULT_WINDOW = 1;
    /** Candidates re-scored per step by their mean effects over the random masks. */
    public static final int DEFAULT_EXPLORE = 4;
    /** Relative distance below F(V) at which the windowed steps stop. */
    public static final double DEFAULT_SATURATION = 0.01;

    private final Objective objective;
    private final int window;
    private final int explore;
    private final double saturation;
    private final long budget;
    private final long seed;

    /** Fast search with the defaults, no budget, seed 0. */
    public FastSearch(Objective objective) {
        this(objective, DEFAULT_WINDOW, DEFAULT_EXPLORE, DEFAULT_SATURATION, SearchBudget.UNLIMITED, 0);
    }

    /**
     * @param window     candidates re-scored per step by latest gain, ≥ 1
     * @param explore    candidates re-scored per step by mean effect, ≥ 0 (0 also scores no random masks)
     * @param saturation ε ≥ 0: the windowed steps stop once F_k ≥ F(V) − ε·|F(V)|
     * @param budget     images allowed, or {@link SearchBudget#UNLIMITED}
     * @param seed       seed of the random masks
     * @throws IllegalArgumentException when a knob is out of range
     */
    public FastSearch(Objective objective, int window, int explore, double saturation, long budget, long seed) {
        this.objective = Objects.requireNonNull(objective, "objective");
        if (window < 1) {
            throw new IllegalArgumentException("fast search window must be >= 1, got " + window);
        }
        if (explore < 0) {
            throw new IllegalArgumentException("fast search explore must be >= 0, got " + explore);
        }
        if (!Double.isFinite(saturation) || saturation < 0) {
            throw new IllegalArgumentException("fast search saturation must be finite and >= 0, got " + saturation);
        }
        this.window = window;
        this.explore = explore;
        this.saturation = saturation;
        this.budget = SearchBudget.check(budget);
        this.seed = seed;
    }

    /** The smallest budget for N regions: the original, the blank image and the singletons, 2N + 2 images. */
    public static long smallestBudget(int n) {
        return 2L * n + 2;
    }

    /**
     * Random mask pairs scored in the first call: N without a budget (2N images); with one, at most a quarter of
     * what the budget leaves after the first call's other images and the tail's points.
     */
    int maskPairs(int n, long allowed) {
        if (explore == 0) {
            return 0;
        }
        if (allowed < 0) {
            return n;
        }
        long spare = allowed - smallestBudget(n) - TailPoints.cost(n - 1);
        return (int) Math.max(0, Math.min(n, spare / 8));
    }

    @Override
    public SearchTrace search(KeptRegionsScorer scorer, double[] regionAreas, ProgressListener listener) {
        Objects.requireNonNull(listener, "listener");
        CheckedScorer checked = new CheckedScorer(scorer, regionAreas, budget);
        int n = checked.regionCount();
        SearchBudget.require(budget, smallestBudget(n), name(), n, "");
        TraceBuilder trace = new TraceBuilder(objective, regionAreas);
        BitSet chosen = new BitSet(n);

        List<BitSet> first = new ArrayList<>();
        first.add(KeptSets.all(n));
        first.add(new BitSet(n));
        int[] all = new int[n];
        for (int c = 0; c < n; c++) {
            all[c] = c;
        }
        addImages(first, chosen, all, n);
        BitSet[] masks = randomMasks(n, maskPairs(n, budget), seed);
        for (BitSet m : masks) {
            first.add(m);
            first.add(KeptSets.complement(m, n));
        }
        double[][] probs = checked.score(first);
        double[] fullProbs = probs[0];
        double[] blankProbs = probs[1];
        double fullSet = objective.value(fullProbs, blankProbs);
        double threshold = fullSet - saturation * Math.abs(fullSet);
        double[] effect = meanEffects(masks, probs, 2 + 2 * n, n);

        Candidates cands = new Candidates(n);
        double current = objective.ofEmptySet(fullProbs, blankProbs);
        cands.update(all, probs, 2, current, 0, objective);

        List<Integer> remaining = new ArrayList<>(n);
        for (int c = 0; c < n; c++) {
            remaining.add(c);
        }
        int verified = 0;
        int searched = 0;
        for (int step = 0; remaining.size() > 1; step++) {
            int r = remaining.size();
            if (step > 0) {
                if (current >= threshold) {
                    break; // saturated: the rest is ordered by mean effects below
                }
                int scored = windowedStep(cands, remaining, effect, chosen, checked, current, step);
                if (scored == 0) {
                    break; // the budget is kept for the rest's points
                }
                if (scored >= r) {
                    verified++;
                }
            } else {
                verified++;
            }
            int winner = cands.bestFresh(remaining, step);
            chosen.set(winner);
            remaining.remove(Integer.valueOf(winner));
            trace.measured(winner, cands.ins[winner], cands.del[winner]);
            current = cands.value[winner];
            searched++;
            listener.onProgress(trace.size(), n, checked.imagesScored());
        }
        int[] tail = ranked(remaining, masks.length > 0 ? effect : cands.gain);
        if (remaining.size() == 1 && searched == n - 1) {
            verified++; // one candidate left: its scoring is trivially full
            searched++;
        }
        TailPoints.append(trace, tail, chosen, checked, fullProbs, blankProbs);
        listener.onProgress(n, n, checked.imagesScored());
        String tailOrder = searched == n ? SearchCertificate.TAIL_NONE
                : masks.length > 0 ? SearchCertificate.TAIL_MEAN_EFFECTS : SearchCertificate.TAIL_STALE_GAINS;
        return trace.build(fullProbs, blankProbs, checked, verified == n ? "exact" : "heuristic", verified, searched,
                tailOrder);
    }

    /**
     * Scores this step's candidates, a call at a time, within the budget (keeping the rest's points affordable).
     *
     * @return candidates scored at this step (0 when the budget allowed none)
     */
    private int windowedStep(Candidates cands, List<Integer> remaining, double[] effect, BitSet chosen,
                             CheckedScorer checked, double current, int step) {
        int n = checked.regionCount();
        int r = remaining.size();
        int[] byGain = cands.rankedByGain(remaining);
        int[] byEffect = explore > 0 ? ranked(remaining, effect) : new int[0];
        boolean[] fresh = new boolean[n];
        int scored = 0;
        int nextGain = 0;
        double bestGain = Double.NEGATIVE_INFINITY;
        while (scored < r) {
            long spare = checked.remaining() - TailPoints.cost(r - 1);
            int w = (int) Math.min(Math.min(scored == 0 ? window + explore : window, r - scored), spare / 2);
            if (w < 1) {
                break;
            }
            List<Integer> pick = new ArrayList<>(w);
            if (scored == 0) {
                // explore first, skipping what the step before scored: its gain there is already known
                for (int j = 0; j < byEffect.length && pick.size() < Math.min(explore, w - 1); j++) {
                    int c = byEffect[j];
                    if (cands.step[c] != step - 1) {
                        pick.add(c);
                        fresh[c] = true;
                    }
                }
            }
            for (; nextGain < byGain.length && pick.size() < w; nextGain++) {
                if (!fresh[byGain[nextGain]]) {
                    pick.add(byGain[nextGain]);
                    fresh[byGain[nextGain]] = true;
                }
            }
            int[] batch = pick.stream().mapToInt(Integer::intValue).toArray();
            List<BitSet> images = new ArrayList<>(2 * batch.length);
            addImages(images, chosen, batch, n);
            cands.update(batch, checked.score(images), 0, current, step, objective);
            scored += batch.length;
            for (int c : batch) {
                bestGain = Math.max(bestGain, cands.gain[c]);
            }
            while (nextGain < byGain.length && fresh[byGain[nextGain]]) {
                nextGain++;
            }
            if (nextGain >= byGain.length || !(cands.gain[byGain[nextGain]] > bestGain)) {
                break; // no latest gain left that could beat the best fresh one
            }
        }
        return scored;
    }

    /** {@code pairs} seeded random kept sets, each region kept with probability 1/2. */
    private static BitSet[] randomMasks(int n, int pairs, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        BitSet[] out = new BitSet[pairs];
        for (int i = 0; i < pairs; i++) {
            out[i] = new BitSet(n);
            for (int c = 0; c < n; c++) {
                if (random.nextBoolean()) {
                    out[i].set(c);
                }
            }
        }
        return out;
    }

    /**
     * Each region's mean effect over the random pairs: F(mask) − F(complement), credited to the regions of the mask
     * and debited to those of the complement, averaged.
     */
    private double[] meanEffects(BitSet[] masks, double[][] probs, int offset, int n) {
        double[] effect = new double[n];
        for (int i = 0; i < masks.length; i++) {
            double[] kept = probs[offset + 2 * i];
            double[] removed = probs[offset + 2 * i + 1];
            double d = objective.value(kept, removed) - objective.value(removed, kept);
            for (int c = 0; c < n; c++) {
                effect[c] += masks[i].get(c) ? d : -d;
            }
        }
        if (masks.length > 0) {
            for (int c = 0; c < n; c++) {
                effect[c] /= masks.length;
            }
        }
        return effect;
    }

    /** {@code ids} by value descending, ties by lower id. */
    private static int[] ranked(List<Integer> ids, double[] value) {
        int[] a = ids.stream().mapToInt(Integer::intValue).toArray();
        double[] v = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            v[i] = value[a[i]];
        }
        return Ranking.sorted(a, v);
    }

    /** For each candidate c: the image keeping S ∪ {c}, then the one removing it. */
    private static void addImages(List<BitSet> batch, BitSet chosen, int[] candidates, int n) {
        for (int c : candidates) {
            BitSet kept = KeptSets.plus(chosen, c);
            batch.add(kept);
            batch.add(KeptSets.complement(kept, n));
        }
    }

    /** Each candidate's latest evaluation: F(S_step ∪ {c}), its gain over F(S_step), its images' probabilities. */
    private static final class Candidates {
        final double[] value;
        final double[] gain;
        final int[] step;
        final double[][] ins;
        final double[][] del;

        Candidates(int n) {
            value = new double[n];
            gain = new double[n];
            step = new int[n];
            ins = new double[n][];
            del = new double[n][];
        }

        void update(int[] ids, double[][] probs, int offset, double current, int atStep, Objective objective) {
            for (int j = 0; j < ids.length; j++) {
                int c = ids[j];
                ins[c] = probs[offset + 2 * j];
                del[c] = probs[offset + 2 * j + 1];
                value[c] = objective.value(ins[c], del[c]);
                gain[c] = value[c] - current;
                step[c] = atStep;
            }
        }

        int[] rankedByGain(List<Integer> ids) {
            return ranked(ids, gain);
        }

        int bestFresh(List<Integer> ids, int atStep) {
            int best = -1;
            for (int c : ids) {
                if (step[c] == atStep && (best < 0 || Ranking.before(value[c], c, value[best], best))) {
                    best = c;
                }
            }
            return best;
        }
    }

    @Override
    public String name() {
        return SearchKind.FAST.cliName();
    }

    @Override
    public Map<String, Object> settings() {
        return SearchSettings.budgeted(objective, null, budget, SearchSettings.FAST_WINDOW, window,
                SearchSettings.FAST_EXPLORE, explore, SearchSettings.SATURATION, saturation, SearchSettings.SEED, seed);
    }
}
