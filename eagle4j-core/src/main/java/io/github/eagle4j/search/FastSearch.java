package io.github.eagle4j.search;

import io.github.eagle4j.Exactness;
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
 *   <li><b>Saturation.</b> The first call's highest and lowest mean probability are the levels the curves can
 *       reach. Once insertion is within {@code saturation} of the high level and deletion within it of the low
 *       level, the remaining regions are ordered by their mean effects and their curve points are scored in one
 *       call (2 per region; the last region's point is the original/blank pair).</li>
 *   <li><b>Tail check.</b> Where those points leave the levels by more than 2·{@code saturation}, the regions
 *       before keep their places and the region there is searched again (at most {@value #MAX_TAIL_CHECKS}
 *       times, and only while the budget could still pay for a final tail).</li>
  <li><b>Budget.</b> With a budget the random masks shrink to fit, and the windowed steps stop early enough that
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
    /** Times the rest's points are scored to check that its curves stay flat before it is searched again. */
    public static final int MAX_TAIL_CHECKS = 4;
    /** How close (in probability) insertion must come to the full image and deletion to the blank image. */
    public static final double DEFAULT_SATURATION = 0.02;

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
     * @param saturation ε ≥ 0: the windowed steps stop once the mean insertion probability is within ε of the full
     *                   image's and the mean deletion probability within ε of the blank image's
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
        // the levels the curves are to reach: the highest and lowest mean probability of any image of the first
        // call (the full and blank image among them); deletion can go below the blank image's, insertion above the
        // full image's, and full greedy gets there
        double fullMean = Double.NEGATIVE_INFINITY;
        double blankMean = Double.POSITIVE_INFINITY;
        for (double[] row : probs) {
            fullMean = Math.max(fullMean, SearchStep.mean(row));
            blankMean = Math.min(blankMean, SearchStep.mean(row));
        }
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
        int checks = 0;
        boolean forced = false;
        double[] order = masks.length > 0 ? effect : cands.gain;
        for (int step = 0; remaining.size() > 1; step++) {
            int r = remaining.size();
            if (step > 0) {
                if (!forced && saturated(trace.last(), fullMean, blankMean)) {
                    int[] tail = ranked(remaining, order);
                    // the rest is placed by mean effects; its scored points show whether the curves stay flat
                    if (checks >= MAX_TAIL_CHECKS || checked.remaining() < 2 * TailPoints.cost(tail.length)) {
                        break;
                    }
                    checks++;
                    int kept = flatPrefix(tail, chosen, checked, fullMean, blankMean, fullProbs, blankProbs, trace);
                    for (int j = 0; j < kept; j++) {
                        remaining.remove(Integer.valueOf(tail[j]));
                    }
                    listener.onProgress(trace.size(), n, checked.imagesScored());
                    if (remaining.isEmpty()) {
                        break;
                    }
                    current = trace.last().objective();
                    forced = true; // the next region is searched again: placing it by mean effect broke the curves
                    r = remaining.size();
                    if (r == 1) {
                        break;
                    }
                }
                int scored = windowedStep(cands, remaining, effect, chosen, checked, current, step);
                if (scored == 0) {
                    break; // the budget is kept for the rest's points
                }
                forced = false;
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
        int[] tail = ranked(remaining, order);
        if (remaining.size() == 1 && searched == n - 1) {
            verified++; // one candidate left: its scoring is trivially full
            searched++;
        }
        TailPoints.append(trace, tail, chosen, checked, fullProbs, blankProbs);
        listener.onProgress(n, n, checked.imagesScored());
        String tailOrder = searched == n ? SearchCertificate.TAIL_NONE
                : masks.length > 0 ? SearchCertificate.TAIL_MEAN_EFFECTS : SearchCertificate.TAIL_STALE_GAINS;
        return trace.build(fullProbs, blankProbs, checked, verified == n ? Exactness.EXACT : Exactness.HEURISTIC, verified, searched,
                tailOrder);
    }

    /**
     * Scores the points of {@code tail} placed in that order after the regions chosen, in one call, and keeps its
     * longest prefix along which the curves stay flat (insertion within 2ε of the full image's mean probability,
     * deletion within 2ε of the blank image's): those regions are appended to the trace with their scored points
     * (all of the tail, the last with the original/blank pair, when none leaves).
     *
     * @return how many regions of the tail were appended
     */
    private int flatPrefix(int[] tail, BitSet chosen, CheckedScorer checked, double fullMean, double blankMean,
                           double[] fullProbs, double[] blankProbs, TraceBuilder trace) {
        int n = checked.regionCount();
        List<BitSet> batch = TailPoints.prefixImages(tail, chosen, n);
        double[][] probs = batch.isEmpty() ? new double[0][] : checked.score(batch);
        int flat = tail.length;
        for (int j = 0; j < tail.length - 1; j++) {
            boolean ins = objective.lambda1() == 0 || SearchStep.mean(probs[2 * j]) >= fullMean - 2 * saturation;
            boolean del = objective.lambda2() == 0 || SearchStep.mean(probs[2 * j + 1]) <= blankMean + 2 * saturation;
            if (!ins || !del) {
                flat = j;
                break;
            }
        }
        for (int j = 0; j < Math.min(flat, tail.length - 1); j++) {
            trace.measured(tail[j], probs[2 * j], probs[2 * j + 1]);
            chosen.set(tail[j]);
        }
        if (flat == tail.length) {
            trace.measured(tail[tail.length - 1], fullProbs, blankProbs);
            chosen.set(tail[tail.length - 1]);
        }
        return flat;
    }

    /**
     * Insertion has risen to the full image's level and deletion has fallen to the blank image's, each within
     * {@code saturation} (a side the objective does not weigh is not checked): from here the curves are flat, so
     * the rest's order matters little to either AUC.
     */
    private boolean saturated(SearchStep last, double fullMean, double blankMean) {
        boolean insertion = objective.lambda1() == 0 || last.insertionMean() >= fullMean - saturation;
        boolean deletion = objective.lambda2() == 0 || last.deletionMean() <= blankMean + saturation;
        return insertion && deletion;
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
