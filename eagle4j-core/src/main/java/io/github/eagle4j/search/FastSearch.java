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
 *       (2N + 2 images: step 1 is full greedy's step 1, verified) and {@code masks} seeded random kept sets (each
 *       region kept with probability {@value #MASK_DENSITY}) with their complements. A sparse set and its dense
 *       complement are the contexts of the first steps' insertion and deletion images; the mean objective
 *       difference of the pairs holding a region minus that of the others estimates the region's mean effect
 *       there. Unlike a single region's own gain it sees regions that matter only together, such as the pieces
 *       of an object that a model recognises from part of it.</li>
 *   <li><b>Windowed steps.</b> Each later step scores, against the regions placed so far and in one call, the
 *       {@code window} candidates with the largest latest gains (their last evaluation, fresh or stale) and the
 *       {@code explore} candidates with the largest mean effects that were not scored at the step before. While a
 *       candidate not yet scored at this step has a latest gain above the best fresh gain, the next
 *       {@code window} of them is scored (lazy greedy's test, on gains of F). The first {@code window} candidates
 *       are picked by their latest gain plus a small weight ({@value #LOGIT_WEIGHT}) times the same gain on the
 *       logit scale, and the mean effects carry the same logit part: on plateaus near p = 1 or 0, where every gain
 *       of F is tiny, the region that moves the model most is scored first. The best freshly scored candidate (by
 *       F) is placed; a step at which every remaining candidate was scored is verified. While the deletion curve is
 *       still above half-way from the full image's level to the low level, the explored candidates are taken first
 *       from the support group: the regions whose image alone restores at least half of the full image's
 *       probability above the blank one's (on a colour word, the pieces of its object, which must all go before
 *       the deletion curve moves).</li>
 *   <li><b>Saturation.</b> The first call's highest and lowest mean probability are the levels the curves can
 *       reach. Once insertion is within {@code saturation} of the high level and deletion within it of the low
 *       level, the front stops; with ε &gt; 0 it also stops, levels reached or not, once a quarter of the regions
 *       is left.</li>
 *   <li><b>Back end.</b> The end of the order is then searched from the back by the same windowed steps: a back
 *       step places last the region whose position there gives the best objective (its first step reads the
 *       singletons of the first call), until the back's point is as good as the front's (within
 *       {@code saturation}) or N/4 regions are placed.</li>
 *   <li><b>Middle and tail check.</b> The regions between are ordered by their mean effects and their curve
 *       points scored in one call (2 per region; the last one's point is the back's first). Where those points
 *       leave the band of the front's and back's points by more than 2·{@code saturation}, the regions before keep
 *       their places, the region there is searched again and the region that broke the curve goes to the end of
 *       later middles (at most {@value #MAX_TAIL_CHECKS} times, and only while the budget could still pay for a
 *       final tail).</li>
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
    public static final int DEFAULT_EXPLORE = 2;
    /** Times the rest's points are scored to check that its curves stay flat before it is searched again. */
    public static final int MAX_TAIL_CHECKS = 4;
    /** How close (in probability) insertion must come to the full image and deletion to the blank image. */
    public static final double DEFAULT_SATURATION = 0.02;
    /**
     * Share of the regions a random mask keeps. Below one half, a mask and its complement are a sparse and a dense
     * image, the contexts of the first steps' insertion and deletion images, so the mean effects rank regions as
     * those steps see them.
     */
    static final double MASK_DENSITY = 0.25;
    /**
     * Weight of the logit-scale gain added to a candidate's gain (and to the mean effects) when candidates are ranked
     * for scoring; the region placed is still the one with the best F. Near p = 1 or 0 every gain of F is tiny while
     * the logits still tell which region moves the model (the pieces of an object removed one by one from an image
     * the model is sure of); elsewhere the gain of F dominates.
     */
    static final double LOGIT_WEIGHT = 0.003;
    /** Probabilities are clamped this far from 0 and 1 before their logit is taken. */
    static final double LOGIT_CLAMP = 1e-6;
    /**
     * Share of the regions left at which the front hands over to the back end even when its curves have not reached
     * their levels: the end of the order is then searched from the back, as where they have.
     */
    static final double MEET_SHARE = 0.25;
    /**
     * A region is in the support group when its image alone restores at least this share of the way from the blank
     * image's mean probability to the full image's.
     */
    static final double SUPPORT_SHARE = 0.5;

    private static final int[] NONE = new int[0];

    // experiment knobs (surrogate branch)
    static final boolean SURR_ON = Boolean.parseBoolean(System.getProperty("surr.on", "true"));
    static final int SURR_K = Integer.getInteger("surr.k", -1);
    static final double SURR_RIDGE = Double.parseDouble(System.getProperty("surr.ridge", "1"));
    static final double SURR_CLAMP = Double.parseDouble(System.getProperty("surr.clamp", "1e-4"));
    static final double SURR_RW = Double.parseDouble(System.getProperty("surr.rw", "0"));
    static final double SURR_RS = Double.parseDouble(System.getProperty("surr.rs", "0"));
    static final boolean SURR_SUPPORT = Boolean.parseBoolean(System.getProperty("surr.support", "false"));
    static final boolean SURR_SKIP_PREV = Boolean.parseBoolean(System.getProperty("surr.skipPrev", "false"));
    static final double SURR_MASKS = Double.parseDouble(System.getProperty("surr.masks", "1"));
    static final boolean SURR_BACK = Boolean.parseBoolean(System.getProperty("surr.back", "true"));
    static final boolean SURR_DIAG = Boolean.parseBoolean(System.getProperty("surr.diag", "false"));
    static final boolean SURR_CORR = Boolean.parseBoolean(System.getProperty("surr.corr", "true"));
    static final int SURR_CTX = Integer.getInteger("surr.ctx", 8);
    static final double SURR_JUMP = Double.parseDouble(System.getProperty("surr.jump", "0.05"));
    static final double SURR_CTXD = Double.parseDouble(System.getProperty("surr.ctxd", "0.25"));
    static final boolean SURR_MID = Boolean.parseBoolean(System.getProperty("surr.mid", "true"));
    static final boolean SURR_NOLEVELS = Boolean.parseBoolean(System.getProperty("surr.nolevels", "false"));
    static final double SURR_GSTOP = Double.parseDouble(System.getProperty("surr.gstop", "0.005"));
    static final boolean SURR_LAZYCORR = Boolean.parseBoolean(System.getProperty("surr.lazycorr", "true"));
    static final double SURR_LOGIT = Double.parseDouble(System.getProperty("surr.logit", String.valueOf(LOGIT_WEIGHT)));
    static long diagSteps;
    static long diagTopK;
    static long diagPlaced;
    static long fitNanos;
    static long fitCount;

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
     *                   image's and the mean deletion probability within ε of the blank image's, or (ε &gt; 0) once
     *                   a quarter of the regions is left; with ε = 0 the front searches to the end
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
        int most = (int) Math.round(n * SURR_MASKS);
        if (allowed < 0) {
            return most;
        }
        long spare = allowed - smallestBudget(n) - TailPoints.cost(n - 1);
        return (int) Math.max(0, Math.min(most, spare / 8));
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
        LogitSurrogate surrogate = SURR_ON && explore > 0
                ? new LogitSurrogate(n, checked.targetCount(), SURR_RIDGE, SURR_CLAMP, SURR_RW, SURR_RS) : null;
        if (surrogate != null) {
            surrogate.addAll(first, probs);
        }
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

        int[] support = supportGroup(probs, n);
        // the deletion curve is on its plateau until it is half-way from the full image's level to the low level
        double plateauEnd = (SearchStep.mean(fullProbs) + blankMean) / 2;
        double emptyValue = objective.ofEmptySet(fullProbs, blankProbs);
        Side front = new Side(n, false, blankProbs, fullProbs, emptyValue);
        front.cands.update(all, probs, 2, front, 0, objective);
        // the back's first scoring is the same singletons seen from the end: V∖{c} kept for insertion, {c} for deletion
        Side back = new Side(n, true, fullProbs, blankProbs, objective.value(fullProbs, blankProbs));
        for (int c = 0; c < n; c++) {
            back.cands.set(c, probs[2 + 2 * c + 1], probs[2 + 2 * c], back, 0, objective);
        }

        SplittableRandom ctxRandom = new SplittableRandom(seed ^ 0x5DEECE66DL);
        List<Integer> remaining = new ArrayList<>(n);
        for (int c = 0; c < n; c++) {
            remaining.add(c);
        }
        int verified = 0;
        int searched = 0;
        int checks = 0;
        boolean forced = false;
        double[] order = masks.length > 0 ? effect : front.cands.gain;
        int maxBack = n / 4;
        BitSet demoted = new BitSet(n);
        for (int step = 0; remaining.size() > 1; step++) {
            int r = remaining.size();
            if (step > 0) {
                boolean handOver = saturation > 0 && remaining.size() <= meetAt(n);
                if (!forced && (frontDone(front, fullMean, blankMean) || handOver)) {
                    // the end of the order, searched from the back, until it meets the front's level
                    while (back.placed.size() < maxBack && remaining.size() > 1 && !backDone(back, front)) {
                        if (back.placed.isEmpty()) {
                            back.place(back.cands.bestFresh(remaining, 0), remaining);
                            tick(surrogate);
                            searched++;
                            continue;
                        }
                        int bs = back.placed.size();
                        if (windowedStep(back, remaining, effect, NONE, checked, bs, SURR_BACK ? surrogate : null) == 0) {
                            break;
                        }
                        back.place(back.cands.bestFresh(remaining, bs), remaining);
                        tick(surrogate);
                        searched++;
                    }
                    if (remaining.size() <= 1) {
                        break;
                    }
                    int[] tail = surrogate != null && SURR_MID
                            ? surrogateRest(front.set, remaining, surrogate, demoted, n) : rest(remaining, order, demoted);
                    // the rest is placed by mean effects; its scored points show whether the curves stay flat
                    if (checks >= MAX_TAIL_CHECKS || checked.remaining() < 2 * TailPoints.cost(tail.length)) {
                        break;
                    }
                    checks++;
                    // the middle joins the front's point to the back's: flat when it stays as good as the worse of them
                    double insLevel = Math.min(front.insMean(), back.insMean());
                    double delLevel = Math.max(front.delMean(), back.delMean());
                    int kept = flatPrefix(tail, front.set, checked, insLevel, delLevel, back.ins, back.del, trace,
                            surrogate);
                    tick(surrogate);
                    for (int j = 0; j < kept; j++) {
                        remaining.remove(Integer.valueOf(tail[j]));
                    }
                    if (kept < tail.length) {
                        demoted.set(tail[kept]); // placing it here broke the curves: later tails put it last
                    }
                    listener.onProgress(trace.size(), n, checked.imagesScored());
                    if (remaining.isEmpty()) {
                        break;
                    }
                    front.moveTo(trace.last());
                    forced = true; // the next region is searched again: placing it by mean effect broke the curves
                    r = remaining.size();
                    if (r == 1) {
                        break;
                    }
                }
                if (surrogate != null && SURR_CTX > 0 && jumped(front)) {
                    contextMasks(front, remaining, checked, surrogate, ctxRandom);
                }
                boolean plateau = objective.lambda2() > 0 && front.delMean() > plateauEnd;
                int scored = windowedStep(front, remaining, effect, plateau && (surrogate == null || SURR_SUPPORT)
                        ? support : NONE, checked, step, surrogate);
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
            int winner = front.cands.bestFresh(remaining, step);
            if (SURR_DIAG && step > 0) {
                diagPlaced(front, remaining, winner, checked);
            }
            front.place(winner, remaining);
            tick(surrogate);
            trace.measured(winner, front.ins, front.del);
            searched++;
            listener.onProgress(trace.size(), n, checked.imagesScored());
        }
        int[] tail = surrogate != null && SURR_MID
                ? surrogateRest(front.set, remaining, surrogate, demoted, n) : rest(remaining, order, demoted);
        if (remaining.size() == 1 && searched == n - 1) {
            if (back.placed.isEmpty()) {
                verified++; // one candidate left: its scoring is trivially full
            }
            searched++;
        }
        TailPoints.append(trace, tail, front.set, checked, back.ins, back.del);
        back.appendTo(trace);
        listener.onProgress(n, n, checked.imagesScored());
        if (Boolean.getBoolean("surr.stats")) {
            System.err.printf(java.util.Locale.ROOT, "SURR fits %d meanFitMs %.3f diagSteps %d topK %.3f placed %.3f%n",
                    fitCount, fitNanos / 1e6 / Math.max(1, fitCount), diagSteps, diagTopK / (double) Math.max(1, diagSteps),
                    diagPlaced / (double) Math.max(1, diagSteps));
        }
        String tailOrder = searched == n ? SearchCertificate.TAIL_NONE
                : masks.length > 0 ? SearchCertificate.TAIL_MEAN_EFFECTS : SearchCertificate.TAIL_STALE_GAINS;
        return trace.build(fullProbs, blankProbs, checked, verified == n ? Exactness.EXACT : Exactness.HEURISTIC, verified, searched,
                tailOrder);
    }

    /**
     * The front stops searching: insertion has risen to the high level and deletion has fallen to the low one,
     * each within ε (a side the objective does not weigh is not checked).
     */
    private boolean frontDone(Side front, double fullMean, double blankMean) {
        if (SURR_NOLEVELS) {
            return false;
        }
        if (SURR_GSTOP > 0 && front.points.size() >= 2) {
            double[][] before = front.points.get(front.points.size() - 2);
            if (front.value - objective.value(before[0], before[1]) > SURR_GSTOP) {
                return false; // still gaining: the levels of the first call are not where full greedy stops
            }
        }
        boolean insertion = objective.lambda1() == 0 || front.insMean() >= fullMean - saturation;
        boolean deletion = objective.lambda2() == 0 || front.delMean() <= blankMean + saturation;
        return insertion && deletion;
    }

    /** Regions left at which the front hands over to the back end at the latest. */
    static int meetAt(int n) {
        return Math.max(2, (int) Math.round(n * MEET_SHARE));
    }

    /** The back's point is as good as the front's, each side within ε: the middle between them can stay flat. */
    private boolean backDone(Side back, Side front) {
        boolean insertion = objective.lambda1() == 0 || back.insMean() >= front.insMean() - saturation;
        boolean deletion = objective.lambda2() == 0 || back.delMean() <= front.delMean() + saturation;
        return insertion && deletion;
    }

    /**
     * Scores the points of {@code tail} placed in that order after the regions chosen, in one call, and keeps its
     * longest prefix along which the curves stay flat (insertion at least {@code insLevel} − 2ε, deletion at most
     * {@code delLevel} + 2ε): those regions are appended to the trace with their scored points (all of the tail,
     * the last with the end point, when none leaves).
     *
     * @return how many regions of the tail were appended
     */
    private int flatPrefix(int[] tail, BitSet chosen, CheckedScorer checked, double insLevel, double delLevel,
                           double[] endIns, double[] endDel, TraceBuilder trace, LogitSurrogate surrogate) {
        int n = checked.regionCount();
        List<BitSet> batch = TailPoints.prefixImages(tail, chosen, n);
        double[][] probs = batch.isEmpty() ? new double[0][] : score(checked, batch, surrogate);
        int flat = tail.length;
        for (int j = 0; j < tail.length - 1; j++) {
            boolean ins = objective.lambda1() == 0 || SearchStep.mean(probs[2 * j]) >= insLevel - 2 * saturation;
            boolean del = objective.lambda2() == 0 || SearchStep.mean(probs[2 * j + 1]) <= delLevel + 2 * saturation;
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
            trace.measured(tail[tail.length - 1], endIns, endDel);
            chosen.set(tail[tail.length - 1]);
        }
        return flat;
    }

    /**
     * Scores this step's candidates, a call at a time, within the budget (keeping the rest's points affordable).
     *
     * @return candidates scored at this step (0 when the budget allowed none)
     */
    private int windowedStep(Side side, List<Integer> remaining, double[] effect, int[] support,
                             CheckedScorer checked, int step, LogitSurrogate surrogate) {
        int n = checked.regionCount();
        int r = remaining.size();
        Candidates cands = side.cands;
        int[] byRank = cands.rankedByRank(remaining);
        int[] byGain = cands.rankedByGain(remaining);
        double[] lazyGain = cands.gain;
        int[] byEffect = explore > 0 ? ranked(remaining, side.fromBack ? negated(effect) : effect) : new int[0];
        int explore = this.explore;
        boolean skipPrev = true;
        if (surrogate != null) {
            byEffect = ranked(remaining, predicted(side, surrogate, remaining, n));
            if (SURR_K >= 0) {
                explore = SURR_K;
            }
            skipPrev = SURR_SKIP_PREV;
            if (SURR_CORR) {
                double[] valueOut = new double[n];
                byRank = ranked(remaining, transported(side, surrogate, remaining, n, valueOut));
                if (SURR_LAZYCORR) {
                    lazyGain = new double[n];
                    for (int c : remaining) {
                        lazyGain[c] = valueOut[c] - side.value;
                    }
                    byGain = ranked(remaining, lazyGain);
                }
            }
            if (SURR_DIAG && !side.fromBack) {
                diagTopK(side, remaining, byEffect, explore, checked);
            }
        }
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
                // the support group's regions left come first, then the mean effects, skipping what the step
                // before scored (its gain there is already known)
                for (int j = 0; j < support.length && pick.size() < Math.min(explore, w - 1); j++) {
                    if (remaining.contains(support[j])) {
                        pick.add(support[j]);
                        fresh[support[j]] = true;
                    }
                }
                for (int j = 0; j < byEffect.length && pick.size() < Math.min(explore, w - 1); j++) {
                    int c = byEffect[j];
                    if ((!skipPrev || cands.step[c] != step - 1) && !fresh[c]) {
                        pick.add(c);
                        fresh[c] = true;
                    }
                }
                for (int j = 0; j < byRank.length && pick.size() < w; j++) {
                    if (!fresh[byRank[j]]) {
                        pick.add(byRank[j]);
                        fresh[byRank[j]] = true;
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
            side.addImages(images, batch);
            cands.update(batch, score(checked, images, surrogate), 0, side, step, objective);
            scored += batch.length;
            for (int c : batch) {
                bestGain = Math.max(bestGain, cands.gain[c]);
            }
            while (nextGain < byGain.length && fresh[byGain[nextGain]]) {
                nextGain++;
            }
            if (nextGain >= byGain.length || !(lazyGain[byGain[nextGain]] > bestGain)) {
                break; // no latest gain left that could beat the best fresh one
            }
        }
        return scored;
    }

    private static double[][] score(CheckedScorer checked, List<BitSet> images, LogitSurrogate surrogate) {
        double[][] probs = checked.score(images);
        if (surrogate != null) {
            surrogate.addAll(images, probs);
        }
        return probs;
    }

    /**
     * The rest's order by the surrogate: greedy on its predictions from the front's set, the demoted regions last.
     */
    private int[] surrogateRest(BitSet frontSet, List<Integer> remaining, LogitSurrogate surrogate, BitSet demoted,
                                int n) {
        BitSet set = (BitSet) frontSet.clone();
        List<Integer> left = new ArrayList<>();
        for (int c : remaining) {
            if (!demoted.get(c)) {
                left.add(c);
            }
        }
        int[] out = new int[remaining.size()];
        int k = 0;
        while (!left.isEmpty()) {
            double[] v = predicted(set, false, surrogate, left, n);
            int[] ids = left.stream().mapToInt(Integer::intValue).toArray();
            double[] vals = new double[ids.length];
            for (int j = 0; j < ids.length; j++) {
                vals[j] = v[ids[j]];
            }
            int best = ids[Ranking.best(ids, vals)];
            out[k++] = best;
            set.set(best);
            left.remove(Integer.valueOf(best));
        }
        for (int c : remaining) {
            if (demoted.get(c)) {
                out[k++] = c;
            }
        }
        return out;
    }

    /** The side's last placement moved a curve's mean by more than the jump threshold. */
    private static boolean jumped(Side side) {
        int k = side.points.size();
        if (k < 2) {
            return false;
        }
        double[][] a = side.points.get(k - 2);
        double[][] b = side.points.get(k - 1);
        return Math.abs(SearchStep.mean(a[0]) - SearchStep.mean(b[0])) > SURR_JUMP
                || Math.abs(SearchStep.mean(a[1]) - SearchStep.mean(b[1])) > SURR_JUMP;
    }

    /**
     * Random kept sets in the side's current context (its set plus a random share of the regions left) with their
     * complements, scored so the surrogate learns which regions left matter there.
     */
    private static void contextMasks(Side side, List<Integer> remaining, CheckedScorer checked,
                                     LogitSurrogate surrogate, SplittableRandom random) {
        int n = checked.regionCount();
        int r = remaining.size();
        long spare = checked.remaining() - TailPoints.cost(r - 1) - 4L * r;
        int pairs = (int) Math.min(SURR_CTX, Math.max(0, spare / 2));
        if (pairs < 1) {
            return;
        }
        List<BitSet> images = new ArrayList<>(2 * pairs);
        for (int i = 0; i < pairs; i++) {
            BitSet m = (BitSet) side.set.clone();
            for (int c : remaining) {
                if (random.nextDouble() < SURR_CTXD) {
                    m.set(c);
                }
            }
            images.add(m);
            images.add(KeptSets.complement(m, n));
        }
        score(checked, images, surrogate);
    }

    private static void tick(LogitSurrogate surrogate) {
        if (surrogate != null) {
            surrogate.tick();
        }
    }

    /**
     * For each region (those of {@code remaining}): the objective the surrogate predicts for the point the side would
     * make by placing it, plus the logit part.
     */
    private double[] predicted(Side side, LogitSurrogate surrogate, List<Integer> remaining, int n) {
        return predicted(side.set, side.fromBack, surrogate, remaining, n);
    }

    private double[] predicted(BitSet set, boolean fromBack, LogitSurrogate surrogate, List<Integer> remaining, int n) {
        long t0 = System.nanoTime();
        surrogate.fit();
        int targets = surrogate.targets();
        double[] inSet = surrogate.logitOf(set);
        double[] inAll = surrogate.logitOf(KeptSets.all(n));
        double[] out = new double[n];
        double[] p1 = new double[targets];
        double[] p2 = new double[targets];
        for (int c : remaining) {
            double logit = 0;
            for (int t = 0; t < targets; t++) {
                double w = surrogate.weight(t, c);
                double z1 = inSet[t] + w; // keeps the side's set and c
                double z2 = inAll[t] - (inSet[t] - surrogate.intercept(t)) - w; // keeps the rest
                double zi = fromBack ? z2 : z1;
                double zd = fromBack ? z1 : z2;
                p1[t] = LogitSurrogate.sigmoid(zi);
                p2[t] = LogitSurrogate.sigmoid(zd);
                logit += objective.lambda1() * zi - objective.lambda2() * zd;
            }
            out[c] = objective.value(p1, p2) + SURR_LOGIT * logit / targets;
        }
        fitNanos += System.nanoTime() - t0;
        fitCount++;
        return out;
    }

    /**
     * For each region of {@code remaining}: its latest scored images' logits moved into the side's current context
     * by the surrogate (plus the weights of the regions the side placed since), and the objective of that point.
     */
    private double[] transported(Side side, LogitSurrogate surrogate, List<Integer> remaining, int n,
                                 double[] valueOut) {
        surrogate.fit();
        int targets = surrogate.targets();
        double[] out = new double[n];
        double[] p1 = new double[targets];
        double[] p2 = new double[targets];
        for (int c : remaining) {
            BitSet added = (BitSet) side.set.clone();
            added.andNot(side.cands.at[c]);
            double[] shift = surrogate.logitOf(added);
            double logit = 0;
            for (int t = 0; t < targets; t++) {
                double d = shift[t] - surrogate.intercept(t);
                double zi = logitClamped(side.cands.ins[c][t]) + (side.fromBack ? -d : d);
                double zd = logitClamped(side.cands.del[c][t]) + (side.fromBack ? d : -d);
                p1[t] = LogitSurrogate.sigmoid(zi);
                p2[t] = LogitSurrogate.sigmoid(zd);
                logit += objective.lambda1() * zi - objective.lambda2() * zd;
            }
            valueOut[c] = objective.value(p1, p2);
            out[c] = valueOut[c] + SURR_LOGIT * logit / targets;
        }
        return out;
    }

    private static double logitClamped(double p) {
        double q = Math.min(1 - SURR_CLAMP, Math.max(SURR_CLAMP, p));
        return Math.log(q / (1 - q));
    }

    /** Diagnostic: is the best of a full scoring (uncounted) among the surrogate's top k? */
    private void diagTopK(Side side, List<Integer> remaining, int[] bySurrogate, int k, CheckedScorer checked) {
        int best = fullBest(side, remaining, checked);
        diagSteps++;
        for (int j = 0; j < Math.min(k, bySurrogate.length); j++) {
            if (bySurrogate[j] == best) {
                diagTopK++;
            }
        }
    }

    private void diagPlaced(Side side, List<Integer> remaining, int winner, CheckedScorer checked) {
        if (fullBest(side, remaining, checked) == winner) {
            diagPlaced++;
        }
    }

    private int fullBest(Side side, List<Integer> remaining, CheckedScorer checked) {
        int[] ids = remaining.stream().mapToInt(Integer::intValue).toArray();
        List<BitSet> images = new ArrayList<>();
        side.addImages(images, ids);
        double[][] p = checked.scoreUncounted(images);
        double[] v = new double[ids.length];
        for (int j = 0; j < ids.length; j++) {
            v[j] = objective.value(p[2 * j], p[2 * j + 1]);
        }
        return ids[Ranking.best(ids, v)];
    }

    private static int[] indices(int m) {
        int[] a = new int[m];
        for (int i = 0; i < m; i++) {
            a[i] = i;
        }
        return a;
    }

    /**
     * The support group: the regions whose image alone (the first call's singleton insertion images) restores at
     * least {@value #SUPPORT_SHARE} of the way from the blank image's mean probability to the full image's, larger
     * first; empty when the full image is not above the blank one. On a colour word these are the pieces of its
     * object: the model names the colour from any of them, so the deletion image keeps it until they are all gone,
     * and until then every candidate's deletion gain is close to 0. Explored first while the deletion curve is on
     * that plateau, they are removed about as early as full greedy removes them (which finds them by their small
     * insertion gains, scoring every candidate).
     */
    static int[] supportGroup(double[][] probs, int n) {
        double full = SearchStep.mean(probs[0]);
        double blank = SearchStep.mean(probs[1]);
        List<Integer> group = new ArrayList<>();
        double[] alone = new double[n];
        for (int c = 0; c < n; c++) {
            alone[c] = SearchStep.mean(probs[2 + 2 * c]);
            if (full > blank && alone[c] >= blank + SUPPORT_SHARE * (full - blank)) {
                group.add(c);
            }
        }
        return ranked(group, alone);
    }

    /** The rest's order: by {@code value} descending, ties by lower id, the demoted regions after the others. */
    private static int[] rest(List<Integer> remaining, double[] value, BitSet demoted) {
        int[] byValue = ranked(remaining, value);
        int[] out = new int[byValue.length];
        int k = 0;
        for (int c : byValue) {
            if (!demoted.get(c)) {
                out[k++] = c;
            }
        }
        for (int c : byValue) {
            if (demoted.get(c)) {
                out[k++] = c;
            }
        }
        return out;
    }

    private static double[] negated(double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = -v[i];
        }
        return out;
    }

    /**
     * One end of the order being searched: the front places regions first (its set S is kept in the insertion
     * image), the back places them last (its set T is kept in the deletion image of the point before it).
     */
    private static final class Side {
        final boolean fromBack;
        final int n;
        final Candidates cands;
        final BitSet set;
        final List<Integer> placed = new ArrayList<>();
        /** Entry j: the side's point after its j-th placement (entry 0: its starting point). */
        final List<double[][]> points = new ArrayList<>();
        double[] ins;
        double[] del;
        double value;

        Side(int n, boolean fromBack, double[] ins, double[] del, double value) {
            this.n = n;
            this.fromBack = fromBack;
            this.cands = new Candidates(n);
            this.set = new BitSet(n);
            this.ins = ins;
            this.del = del;
            this.value = value;
            points.add(new double[][] {ins, del});
        }

        double insMean() {
            return SearchStep.mean(ins);
        }

        /** {@link FastSearch#logitValue} of the side's point. */
        double logitValue(Objective objective) {
            return FastSearch.logitValue(objective, ins, del);
        }

        double delMean() {
            return SearchStep.mean(del);
        }

        /** For each candidate: the insertion then the deletion image of the point it would make. */
        void addImages(List<BitSet> batch, int[] candidates) {
            for (int c : candidates) {
                BitSet with = KeptSets.plus(set, c);
                if (fromBack) {
                    batch.add(KeptSets.complement(with, n));
                    batch.add(with);
                } else {
                    batch.add(with);
                    batch.add(KeptSets.complement(with, n));
                }
            }
        }

        void place(int winner, List<Integer> remaining) {
            set.set(winner);
            remaining.remove(Integer.valueOf(winner));
            placed.add(winner);
            ins = cands.ins[winner];
            del = cands.del[winner];
            value = cands.value[winner];
            points.add(new double[][] {ins, del});
        }

        /** The front's point after a flat prefix of the rest was appended to the trace. */
        void moveTo(SearchStep last) {
            ins = last.insertionProbs();
            del = last.deletionProbs();
            value = last.objective();
        }

        /** The back's regions, last placed first, each with the point scored before it was placed. */
        void appendTo(TraceBuilder trace) {
            for (int j = placed.size() - 1; j >= 0; j--) {
                double[][] p = points.get(j);
                trace.measured(placed.get(j), p[0], p[1]);
            }
        }
    }

    /** {@code pairs} seeded random kept sets, each region kept with probability {@value #MASK_DENSITY}. */
    private static BitSet[] randomMasks(int n, int pairs, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        BitSet[] out = new BitSet[pairs];
        for (int i = 0; i < pairs; i++) {
            out[i] = new BitSet(n);
            for (int c = 0; c < n; c++) {
                if (random.nextDouble() < MASK_DENSITY) {
                    out[i].set(c);
                }
            }
        }
        return out;
    }

    /**
     * Each region's mean effect over the random pairs: the mean of F(mask) − F(complement) over the pairs whose mask
     * holds the region, minus the mean over the others.
     */
    private double[] meanEffects(BitSet[] masks, double[][] probs, int offset, int n) {
        double[] in = new double[n];
        double[] out = new double[n];
        int[] count = new int[n];
        double total = 0;
        for (int i = 0; i < masks.length; i++) {
            double[] kept = probs[offset + 2 * i];
            double[] removed = probs[offset + 2 * i + 1];
            double d = objective.value(kept, removed) - objective.value(removed, kept)
                    + LOGIT_WEIGHT * (logitValue(objective, kept, removed) - logitValue(objective, removed, kept));
            total += d;
            for (int c = 0; c < n; c++) {
                if (masks[i].get(c)) {
                    in[c] += d;
                    count[c]++;
                }
            }
        }
        double[] effect = new double[n];
        for (int c = 0; c < n; c++) {
            double meanIn = count[c] > 0 ? in[c] / count[c] : 0;
            int rest = masks.length - count[c];
            double meanOut = rest > 0 ? (total - in[c]) / rest : 0;
            effect[c] = meanIn - meanOut;
        }
        return effect;
    }

    /**
     * F's counterpart on the logit scale: the mean over targets of λ1·logit p(insertion image) − λ2·logit p(deletion
     * image), probabilities clamped to [{@value #LOGIT_CLAMP}, 1 − {@value #LOGIT_CLAMP}].
     */
    static double logitValue(Objective objective, double[] insertionProbs, double[] deletionProbs) {
        double sum = 0;
        for (int t = 0; t < insertionProbs.length; t++) {
            sum += objective.lambda1() * logit(insertionProbs[t]) - objective.lambda2() * logit(deletionProbs[t]);
        }
        return sum / insertionProbs.length;
    }

    private static double logit(double p) {
        double q = Math.min(1 - LOGIT_CLAMP, Math.max(LOGIT_CLAMP, p));
        return Math.log(q / (1 - q));
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
        /** The latest gain plus {@link #LOGIT_WEIGHT} times its logit-scale counterpart: orders candidates on plateaus. */
        final double[] rank;
        final int[] step;
        final double[][] ins;
        final double[][] del;
        /** The side's set when each candidate was last scored. */
        final BitSet[] at;

        Candidates(int n) {
            at = new BitSet[n];
            value = new double[n];
            gain = new double[n];
            rank = new double[n];
            step = new int[n];
            ins = new double[n][];
            del = new double[n][];
        }

        void update(int[] ids, double[][] probs, int offset, Side side, int atStep, Objective objective) {
            for (int j = 0; j < ids.length; j++) {
                set(ids[j], probs[offset + 2 * j], probs[offset + 2 * j + 1], side, atStep, objective);
            }
        }

        void set(int c, double[] insProbs, double[] delProbs, Side side, int atStep, Objective objective) {
            ins[c] = insProbs;
            del[c] = delProbs;
            at[c] = (BitSet) side.set.clone();
            value[c] = objective.value(insProbs, delProbs);
            gain[c] = value[c] - side.value;
            rank[c] = gain[c] + LOGIT_WEIGHT * (logitValue(objective, insProbs, delProbs) - side.logitValue(objective));
            step[c] = atStep;
        }

        /** By rank (latest gain with its logit-scale part) descending, ties by lower id. */
        int[] rankedByRank(List<Integer> ids) {
            return ranked(ids, rank);
        }

        /** By latest gain of F descending, ties by lower id. */
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
