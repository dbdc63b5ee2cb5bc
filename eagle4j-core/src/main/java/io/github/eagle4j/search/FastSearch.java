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
 * reports what it verified. Its candidates are picked by a surrogate of the model ({@link LogitSurrogate}: per target,
 * the logit of the probability additive in the kept regions) fitted on every image the search has scored.
 *
 * <ol>
 *   <li><b>One first call</b> scores the original, the blank image, every region's insertion and deletion image
 *       (2N + 2 images: step 1 is full greedy's step 1, verified) and {@code masks} seeded random kept sets (each
 *       region kept with probability {@value #MASK_DENSITY}) with their complements, the contexts of the first
 *       steps' insertion and deletion images. The surrogate's first fit is on these images.</li>
 *   <li><b>Windowed steps.</b> Each later step scores, against the regions placed so far and in one call, the
 *       {@code explore} candidates whose point the surrogate predicts best in the current context (with
 *       {@value #LOGIT_WEIGHT} times the same on the logit scale, which orders plateaus near p = 1 or 0), and the
 *       {@code window} candidates with the best <i>moved</i> latest evaluation: the images a candidate was last
 *       scored with, their logits shifted by the surrogate's weights of the regions placed since. While a candidate
 *       not yet scored at this step has a moved gain above the best fresh gain, the next {@code window} of them is
 *       scored (lazy greedy's test). The best freshly scored candidate (by F) is placed; a step at which every
 *       remaining candidate was scored is verified. When a placement moves either curve's mean by more than
 *       {@value #JUMP}, {@value #CONTEXT_PAIRS} random pairs in the new context are scored first, so the surrogate
 *       learns which regions left matter there. On a curve at its level a step scores only its candidates' images of
 *       the other curve, then the chosen one's. A placement on a saturated insertion side that lowers the deletion
 *       curve's mean by more than {@value #COLLAPSE} to a level still above {@value #SWEEP_FLOOR} (a colour word's
 *       object lost its main piece, the rest holds the word up) is followed, once, by a sweep (not after the first
 *       placement): the deletion image of every region left, in one call, kept as each one's latest evaluation, so
 *       the next steps find the rest of the object. When insertion later falls below its level, the evaluations
 *       from before the sweep come back. A deletion-only step whose best scored candidate would raise the deletion
 *       curve by more than {@value #RISE} scores every other region's deletion image too (at most
 *       {@value #MAX_RISE_SCORINGS} times).</li>
 *   <li><b>Saturation.</b> The first call's highest and lowest mean probability are the levels the curves can
 *       reach. Once insertion is within {@code saturation} of the high level and deletion within it of the low
 *       level, and the last step gained at most {@value #KEEP_GOING_GAIN}, the front stops; with ε &gt; 0 it also
 *       stops, levels reached or not, once a quarter of the regions is left.</li>
 *   <li><b>Back end.</b> The end of the order is then searched from the back by the same windowed steps: a back
 *       step places last the region whose position there gives the best objective (its first step reads the
 *       singletons of the first call), until the back's point is as good as the front's (within
 *       {@code saturation}) or N/4 regions are placed.</li>
 *   <li><b>Middle and tail check.</b> The regions between are ordered by greedy on the surrogate's predictions and
 *       their curve points scored (2 per region; the last one's point is the back's first), in calls of
 *       {@value #MIDDLE_CHUNK}, 16, 32, ... regions that stop at the first call leaving the band. Where those
 *       points leave the band of the front's and back's points by more than 2·{@code saturation} (deletion also the
 *       straight line from the front's point to the back's), the regions before
 *       keep their places, the region there is searched again and the region that broke the curve goes to the end
 *       of later middles (at most {@value #MAX_TAIL_CHECKS} times, and only while the budget could still pay for a
 *       final tail).</li>
 *   <li><b>Budget.</b> With a budget the random masks shrink to fit, context masks are scored only while the budget
 *       leaves room for them, and the windowed steps stop early enough that the rest can still be ordered the same
 *       way with scored points; when even those do not fit they are interpolated (the trace is then approximate).
 *       Below 2N + 2 images the search is refused.</li>
 * </ol>
 * With {@code explore} 0 no random masks are scored and no surrogate is fitted: a windowed lazy greedy on latest
 * gains whose rest is ordered by them. Deterministic: the masks come from seeded generators, the fit has no
 * randomness; ties go to the larger value, then the lower region id.
 */
public final class FastSearch implements RegionSearch {
    /** Candidates re-scored per step by their latest gains. */
    public static final int DEFAULT_WINDOW = 1;
    /** Candidates re-scored per step by the surrogate's predictions. */
    public static final int DEFAULT_EXPLORE = 2;
    /**
     * Regions of the middle whose points the first call of a middle check scores; each later call scores twice as many
     * as the one before, and the check stops at the first call whose points leave the band, so a check that breaks
     * early does not pay for the points after the break.
     */
    static final int MIDDLE_CHUNK = 8;
    /** Times the rest's points are scored to check that its curves stay flat before it is searched again. */
    public static final int MAX_TAIL_CHECKS = 8;
    /** How close (in probability) insertion must come to the full image and deletion to the blank image. */
    public static final double DEFAULT_SATURATION = 0.02;
    /**
     * Share of the regions a random mask keeps. Below one half, a mask and its complement are a sparse and a dense
     * image, the contexts of the first steps' insertion and deletion images, where the surrogate is first needed.
     */
    static final double MASK_DENSITY = 0.25;
    /**
     * Weight of the logit-scale gain added to a candidate's gain (and to the predictions) when candidates are ranked
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

    private static final int[] NONE = new int[0];
    /** The step recorded for a candidate whose latest evaluation is the sweep's (deletion image only). */
    private static final int SWEPT = -1;

    /** Random pairs scored in the current context after a jump of the curves, for the surrogate to learn it. */
    static final int CONTEXT_PAIRS = 8;
    /** A placement that moves either curve's mean by more than this is a jump (the context changed). */
    static final double JUMP = 0.05;
    /**
     * The front keeps searching past the first call's levels while its last step gained more than this: full greedy
     * often goes on below the blank image's level (a colour word's probability falls further as the rest of its
     * object goes).
     */
    static final double KEEP_GOING_GAIN = 0.005;
    /**
     * A front placement that lowers the deletion curve's mean by more than this while insertion is saturated is a
     * collapse (an object's first piece went and the rest still holds the word up, as for a colour word): the deletion
     * image of every region left is scored once, so the next steps find the rest's pieces.
     */
    static final double COLLAPSE = 0.2;
    /**
     * The sweep after a collapse is scored only while the deletion curve's mean is still above this: below it the rest
     * of the curve has little area left to win (at most this much per position), and the sweep's image per region
     * left costs more than it finds.
     */
    static final double SWEEP_FLOOR = 0.1;
    /** Probabilities are clamped this far from 0 and 1 before a latest evaluation is moved to the current context. */
    static final double TRANSPORT_CLAMP = 1e-4;
    /**
     * A front step on a curve at its level scores only its candidates' images of the other curve, then the chosen
     * one's image of the first; when that moved away from the level by more than this (in mean probability), the
     * others' are scored too and the choice is made again on both.
     */
    static final double LEVEL_SLIP = 0.005;
    /**
     * A one-sided deletion step whose best scored candidate would raise the deletion curve by more than this scores
     * the deletion images of every other region left (at most {@value #MAX_RISE_SCORINGS} times per search): where
     * every removal raises the curve (a colour word's object is gone and the image drifts towards the blank one,
     * whose prior is higher), the surrogate ranks the small differences between removals poorly.
     */
    static final double RISE = 0.02;
    /** Full deletion scorings of rising steps per search, each one image per region left. */
    static final int MAX_RISE_SCORINGS = 3;

    /** Which of its candidates' two images a front step scores. */
    private enum StepImages { BOTH, DELETION, INSERTION }

    private final Objective objective;
    private final int window;
    private final int explore;
    private final double saturation;
    private final long budget;
    private final long seed;
    /** Images scored before this search (other searches over the same image), or null: see {@link #withPriorImages}. */
    private final PriorImages prior;

    /** Fast search with the defaults, no budget, seed 0. */
    public FastSearch(Objective objective) {
        this(objective, DEFAULT_WINDOW, DEFAULT_EXPLORE, DEFAULT_SATURATION, SearchBudget.UNLIMITED, 0);
    }

    /**
     * @param window     candidates re-scored per step by latest gain, ≥ 1
     * @param explore    candidates re-scored per step by the surrogate's predictions, ≥ 0 (0 also scores no random
     *                   masks and fits no surrogate)
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
        this.prior = null;
    }

    /** A copy of {@code base} taught by {@code prior}. */
    private FastSearch(FastSearch base, PriorImages prior) {
        this.objective = base.objective;
        this.window = base.window;
        this.explore = base.explore;
        this.saturation = base.saturation;
        this.budget = base.budget;
        this.seed = base.seed;
        this.prior = prior;
    }

    /**
     * This search, taught by images already scored over the same image (by other searches of one explanation): its
     * surrogate is fitted on them from the first step, and they replace its own random masks (the first call is then
     * the original, the blank image and the singletons, 2N + 2 images).
     *
     * @param kept  each image's kept regions
     * @param probs each image's per-target probabilities, as this search's scorer gives them
     */
    public FastSearch withPriorImages(List<BitSet> kept, double[][] probs) {
        if (kept.size() != probs.length) {
            throw new IllegalArgumentException(kept.size() + " kept sets but " + probs.length + " score rows");
        }
        return new FastSearch(this, new PriorImages(List.copyOf(kept), probs.clone()));
    }

    private record PriorImages(List<BitSet> kept, double[][] probs) {
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
        BitSet[] masks = randomMasks(n, prior != null ? 0 : maskPairs(n, budget), seed);
        for (BitSet m : masks) {
            first.add(m);
            first.add(KeptSets.complement(m, n));
        }
        double[][] probs = checked.scoreOnce(first);
        // every image scored from here on teaches the surrogate (with explore 0 the search is a windowed lazy greedy)
        LogitSurrogate surrogate = explore > 0 ? new LogitSurrogate(n, checked.targetCount()) : null;
        if (surrogate != null) {
            surrogate.addAll(first, probs);
            if (prior != null) {
                surrogate.addAll(prior.kept(), prior.probs());
            }
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
        double emptyValue = objective.ofEmptySet(fullProbs, blankProbs);
        Side front = new Side(n, false, blankProbs, fullProbs, emptyValue);
        front.cands.update(all, probs, 2, front, 0, objective);
        // the back's first scoring is the same singletons seen from the end: V∖{c} kept for insertion, {c} for deletion
        Side back = new Side(n, true, fullProbs, blankProbs, objective.value(fullProbs, blankProbs));
        for (int c = 0; c < n; c++) {
            back.cands.set(c, probs[2 + 2 * c + 1], probs[2 + 2 * c], back, 0, objective);
        }

        // the context masks have a generator of their own, so the first call's masks are those of the seed as before
        SplittableRandom contextRandom = new SplittableRandom(seed ^ 0x5DEECE66DL);
        List<Integer> remaining = new ArrayList<>(n);
        for (int c = 0; c < n; c++) {
            remaining.add(c);
        }
        int verified = 0;
        int searched = 0;
        int checks = 0;
        boolean forced = false;
        double[] order = front.cands.gain;
        int maxBack = n / 4;
        BitSet demoted = new BitSet(n);
        boolean swept = false;
        int riseScorings = 0;
        Candidates beforeSweep = null;
        for (int step = 0; remaining.size() > 1; step++) {
            int r = remaining.size();
            int completed = -1; // set by a one-sided step: the candidate whose point it completed
            if (step > 0) {
                boolean handOver = saturation > 0 && remaining.size() <= meetAt(n);
                // a step on the saturated insertion side scores deletion images only: the sweep is one for every region
                if (!forced && !swept && !handOver
                        && stepImages(front, surrogate, fullMean, blankMean) == StepImages.DELETION
                        && deletionCollapsed(front) && front.delMean() > SWEEP_FLOOR && front.placed.size() >= 2) {
                    // (not after the first placement: a collapse there is one region holding a yes/no answer alone,
                    // not an object's other pieces holding it up; on dev such sweeps bought little, twice 1,000+ images)
                    // the rest of the object still holds the deletion curve up: find its pieces in this context
                    swept = true;
                    beforeSweep = front.cands.copy();
                    deletionSweep(front, remaining, checked, surrogate);
                }
                if (!forced && (frontDone(front, fullMean, blankMean) || handOver)) {
                    // the end of the order, searched from the back, until it meets the front's level
                    while (back.placed.size() < maxBack && remaining.size() > 1 && !backDone(back, front)) {
                        if (back.placed.isEmpty()) {
                            back.place(back.cands.bestFresh(remaining, 0), remaining);
                            searched++;
                            continue;
                        }
                        int bs = back.placed.size();
                        if (windowedStep(back, remaining, checked, bs, surrogate, StepImages.BOTH) == 0) {
                            break;
                        }
                        back.place(back.cands.bestFresh(remaining, bs), remaining);
                        searched++;
                    }
                    if (remaining.size() <= 1) {
                        break;
                    }
                    int[] tail = rest(remaining, order, demoted, front.set, surrogate);
                    // the rest is placed by the surrogate; its scored points show whether the curves stay flat
                    if (checks >= MAX_TAIL_CHECKS || checked.remaining() < 2 * TailPoints.cost(tail.length)) {
                        break;
                    }
                    checks++;
                    // the middle joins the front's point to the back's: flat when it stays as good as the worse of them
                    double insLevel = Math.min(front.insMean(), back.insMean());
                    double delLevel = Math.max(front.delMean(), back.delMean());
                    int kept = flatPrefix(tail, front.set, checked, insLevel, delLevel, front.delMean(), back.ins,
                            back.del, trace, surrogate);
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
                    forced = true; // the next region is searched again: placing it by prediction broke the curves
                    r = remaining.size();
                    if (r == 1) {
                        break;
                    }
                }
                if (surrogate != null && jumped(front)) {
                    contextMasks(front, remaining, checked, surrogate, contextRandom);
                }
                StepImages images = stepImages(front, surrogate, fullMean, blankMean);
                if (images != StepImages.DELETION && beforeSweep != null) {
                    // the sweep's evaluations took the front's saturated insertion as theirs: with insertion below its
                    // level again they would all look better than they are, so the evaluations before it come back
                    front.cands.restoreSwept(beforeSweep, remaining);
                    beforeSweep = null;
                }
                int scored = windowedStep(front, remaining, checked, step, surrogate, images);
                if (scored == 0) {
                    break; // the budget is kept for the rest's points
                }
                forced = false;
                if (scored >= r && images == StepImages.BOTH) {
                    verified++;
                }
                if (images == StepImages.DELETION && riseScorings < MAX_RISE_SCORINGS
                        && scoreRisingStep(front, remaining, checked, step, surrogate)) {
                    riseScorings++;
                }
                if (images != StepImages.BOTH) {
                    completed = completeChoice(front, remaining, checked, step, surrogate, images);
                }
            } else {
                verified++;
            }
            int winner = completed >= 0 ? completed : front.cands.bestFresh(remaining, step);
            front.place(winner, remaining);
            trace.measured(winner, front.ins, front.del);
            searched++;
            listener.onProgress(trace.size(), n, checked.imagesScored());
        }
        int[] tail = rest(remaining, order, demoted, front.set, surrogate);
        if (remaining.size() == 1 && searched == n - 1) {
            if (back.placed.isEmpty()) {
                verified++; // one candidate left: its scoring is trivially full
            }
            searched++;
        }
        TailPoints.append(trace, tail, front.set, checked, back.ins, back.del);
        back.appendTo(trace);
        listener.onProgress(n, n, checked.imagesScored());
        String tailOrder = searched == n ? SearchCertificate.TAIL_NONE
                : surrogate != null ? SearchCertificate.TAIL_SURROGATE : SearchCertificate.TAIL_STALE_GAINS;
        return trace.build(fullProbs, blankProbs, checked, verified == n ? Exactness.EXACT : Exactness.HEURISTIC, verified, searched,
                tailOrder);
    }

    /** The side's last placement lowered the deletion curve's mean by more than {@value #COLLAPSE}. */
    private static boolean deletionCollapsed(Side side) {
        int k = side.points.size();
        if (k < 2) {
            return false;
        }
        return SearchStep.mean(side.points.get(k - 2)[1]) - SearchStep.mean(side.points.get(k - 1)[1]) > COLLAPSE;
    }

    /**
     * Scores, in one call, the deletion image of every region left in the front's context (its set and the region
     * removed), for the surrogate to learn and as each region's latest evaluation (its insertion taken as the
     * front's: they are not fresh, the window and lazy greedy's test pick from them and the region placed is scored
     * as usual); only when the budget leaves room for twice as many images and the rest's points.
     */
    private void deletionSweep(Side front, List<Integer> remaining, CheckedScorer checked, LogitSurrogate surrogate) {
        if (affordsEveryRegionLeft(checked, remaining.size())) {
            scoreOneCurve(remaining, false, front, checked, surrogate, SWEPT);
        }
    }

    /** The budget leaves room for twice as many images as regions left, and for the rest's points. */
    private static boolean affordsEveryRegionLeft(CheckedScorer checked, int left) {
        return checked.remaining() - TailPoints.cost(left - 1) >= 2L * left;
    }

    /**
     * Scores, in one call, each of {@code regions}' image of one curve (its insertion image when {@code insertion},
     * else its deletion image) in the side's context and keeps it as that region's latest evaluation at
     * {@code atStep}, the other curve's image taken as the side's own: that curve sits at its level, where the
     * candidates' images differ by a few 10⁻³ at most, until the chosen one's is scored.
     */
    private void scoreOneCurve(List<Integer> regions, boolean insertion, Side side, CheckedScorer checked,
                               LogitSurrogate surrogate, int atStep) {
        int n = checked.regionCount();
        List<BitSet> images = new ArrayList<>(regions.size());
        for (int c : regions) {
            images.add(otherImage(side.set, c, insertion, n));
        }
        double[][] probs = score(checked, images, surrogate);
        for (int j = 0; j < probs.length; j++) {
            double[] ins = insertion ? probs[j] : side.ins.clone();
            double[] del = insertion ? side.del.clone() : probs[j];
            side.cands.set(regions.get(j), ins, del, side, atStep, objective);
        }
    }

    /**
     * The front stops searching: insertion has risen to the high level and deletion has fallen to the low one,
     * each within ε (a side the objective does not weigh is not checked).
     */
    private boolean frontDone(Side front, double fullMean, double blankMean) {
        if (front.points.size() >= 2) {
            double[][] before = front.points.get(front.points.size() - 2);
            if (front.value - objective.value(before[0], before[1]) > KEEP_GOING_GAIN) {
                return false; // still gaining: the levels of the first call are not where full greedy stops
            }
        }
        boolean insertion = objective.lambda1() == 0 || front.insMean() >= fullMean - saturation;
        boolean deletion = objective.lambda2() == 0 || front.delMean() <= blankMean + saturation;
        return insertion && deletion;
    }

    /**
     * A front step's images: on a curve at its level (insertion within ε of the high level, else deletion within ε of
     * the low one) the candidates' images of that curve differ by a few 10⁻³ at most, so only those of the other curve
     * are scored; both without a surrogate (its moved evaluations need both) or when neither curve is at its level.
     */
    private StepImages stepImages(Side front, LogitSurrogate surrogate, double fullMean, double blankMean) {
        if (surrogate == null) {
            return StepImages.BOTH;
        }
        if (objective.lambda2() > 0 && front.insMean() >= fullMean - saturation) {
            return StepImages.DELETION;
        }
        if (objective.lambda1() > 0 && front.delMean() <= blankMean + saturation) {
            return StepImages.INSERTION;
        }
        return StepImages.BOTH;
    }

    /**
     * On a one-sided deletion step whose best scored candidate lies more than {@value #RISE} above the front's deletion
     * point: scores the deletion image of every region left not scored at this step, in one call, as fresh candidates
     * of this step (their insertion taken as the front's, which is at its level), so the step chooses among all of
     * them; only while the budget leaves room for twice as many images and the rest's points.
     *
     * @return whether the images were scored
     */
    private boolean scoreRisingStep(Side front, List<Integer> remaining, CheckedScorer checked, int step,
                                    LogitSurrogate surrogate) {
        int best = front.cands.bestFresh(remaining, step);
        if (SearchStep.mean(front.cands.del[best]) - front.delMean() <= RISE
                || !affordsEveryRegionLeft(checked, remaining.size())) {
            return false;
        }
        List<Integer> others = new ArrayList<>();
        for (int c : remaining) {
            if (front.cands.step[c] != step) {
                others.add(c);
            }
        }
        scoreOneCurve(others, false, front, checked, surrogate, step);
        return true;
    }

    /**
     * After a one-sided front step: scores the best candidate's other image, so its point is measured; when that
     * image left the level by more than {@value #LEVEL_SLIP}, the other images of the step's other candidates too (the
     * choice is then made on both curves). Such a step is not counted as verified.
     *
     * @return the region to place: a candidate whose two images were both scored at this step
     */
    private int completeChoice(Side front, List<Integer> remaining, CheckedScorer checked, int step,
                                LogitSurrogate surrogate, StepImages images) {
        int n = checked.regionCount();
        boolean insertion = images == StepImages.DELETION; // the curve still to score
        int best = front.cands.bestFresh(remaining, step);
        double[] p = score(checked, List.of(otherImage(front.set, best, insertion, n)), surrogate)[0];
        front.cands.complete(best, p, insertion, front, step, objective);
        boolean slipped = insertion ? SearchStep.mean(p) < front.insMean() - LEVEL_SLIP
                : SearchStep.mean(p) > front.delMean() + LEVEL_SLIP;
        if (!slipped) {
            return best;
        }
        List<Integer> others = new ArrayList<>();
        List<BitSet> batch = new ArrayList<>();
        for (int c : remaining) {
            if (c != best && front.cands.step[c] == step) {
                others.add(c);
                batch.add(otherImage(front.set, c, insertion, n));
            }
        }
        if (batch.isEmpty() || checked.remaining() - TailPoints.cost(remaining.size() - 1) < batch.size()) {
            return best;
        }
        double[][] q = score(checked, batch, surrogate);
        for (int j = 0; j < q.length; j++) {
            front.cands.complete(others.get(j), q[j], insertion, front, step, objective);
        }
        return front.cands.bestFresh(remaining, step);
    }

    /** The insertion image of the point {@code set} ∪ {c} when {@code insertion}, else its deletion image. */
    private static BitSet otherImage(BitSet set, int c, boolean insertion, int n) {
        BitSet with = KeptSets.plus(set, c);
        return insertion ? with : KeptSets.complement(with, n);
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
     * Scores the points of {@code tail} placed in that order after the regions chosen, in calls of growing size
     * ({@value #MIDDLE_CHUNK} regions first), and keeps its
     * longest prefix along which the curves stay flat (insertion at least {@code insLevel} − 2ε, deletion at most
     * 2ε above {@code delLevel} and above the straight line from {@code frontDel} to the end point's deletion): those
     * regions are appended to the trace with their scored points (all of the tail,
     * the last with the end point, when none leaves).
     *
     * @return how many regions of the tail were appended
     */
    private int flatPrefix(int[] tail, BitSet chosen, CheckedScorer checked, double insLevel, double delLevel,
                           double frontDel, double[] endIns, double[] endDel, TraceBuilder trace,
                           LogitSurrogate surrogate) {
        double endDelMean = SearchStep.mean(endDel);
        int n = checked.regionCount();
        List<BitSet> batch = TailPoints.prefixImages(tail, chosen, n);
        double[][] probs = new double[batch.size()][];
        int scored = 0;
        int chunk = MIDDLE_CHUNK;
        int flat = tail.length;
        for (int j = 0; j < tail.length - 1; j++) {
            if (2 * j >= scored) { // the next points, in a call of their own
                int end = (int) Math.min(batch.size(), scored + 2L * chunk);
                double[][] part = score(checked, batch.subList(scored, end), surrogate);
                System.arraycopy(part, 0, probs, scored, part.length);
                scored = end;
                chunk *= 2;
            }
            // deletion may rise from the front's point to the back's (a colour word's curve climbs towards the blank
            // image's prior), but no faster than the straight line between them: full greedy's climbs about that fast;
            // when the back's point is lower, the front's level holds
            double delLine = Math.max(frontDel, frontDel + (endDelMean - frontDel) * (j + 1.0) / tail.length);
            boolean ins = objective.lambda1() == 0 || SearchStep.mean(probs[2 * j]) >= insLevel - 2 * saturation;
            boolean del = objective.lambda2() == 0
                    || SearchStep.mean(probs[2 * j + 1]) <= Math.min(delLevel, delLine) + 2 * saturation;
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
    private int windowedStep(Side side, List<Integer> remaining, CheckedScorer checked, int step,
                             LogitSurrogate surrogate, StepImages which) {
        int n = checked.regionCount();
        int r = remaining.size();
        Candidates cands = side.cands;
        int[] byRank = cands.rankedByRank(remaining);
        int[] byGain = cands.rankedByGain(remaining);
        double[] lazyGain = cands.gain;
        int[] byPrediction = NONE;
        if (surrogate != null) {
            surrogate.fit();
            byPrediction = ranked(remaining, predicted(side.set, side.fromBack, surrogate, remaining, n));
            // latest evaluations moved into this context: they pick the window and drive lazy greedy's test (the
            // stale gains themselves, bounds only for a submodular objective, cost a third more images for less)
            double[] moved = new double[n];
            byRank = ranked(remaining, transported(side, surrogate, remaining, n, moved));
            lazyGain = new double[n];
            for (int c : remaining) {
                lazyGain[c] = moved[c] - side.value;
            }
            byGain = ranked(remaining, lazyGain);
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
                // the surrogate's best predictions first, then the best moved latest evaluations
                for (int j = 0; j < byPrediction.length && pick.size() < Math.min(explore, w - 1); j++) {
                    int c = byPrediction[j];
                    if (!fresh[c]) {
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
            if (which == StepImages.BOTH) {
                List<BitSet> images = new ArrayList<>(2 * batch.length);
                side.addImages(images, batch);
                cands.update(batch, score(checked, images, surrogate), 0, side, step, objective);
            } else {
                // one curve sits at its level: the candidates' images of the other decide
                scoreOneCurve(pick, which == StepImages.INSERTION, side, checked, surrogate, step);
            }
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

    /** Scores images (those this search scored before are not scored again) and teaches the surrogate all of them. */
    private static double[][] score(CheckedScorer checked, List<BitSet> images, LogitSurrogate surrogate) {
        double[][] probs = checked.scoreOnce(images);
        if (surrogate != null) {
            surrogate.addAll(images, probs);
        }
        return probs;
    }

    /**
     * The rest's order: with a surrogate, greedy on its predictions from the front's set (each next region the one it
     * predicts best after those before it); without one, by {@code value} descending. Ties by lower id; the demoted
     * regions after the others.
     */
    private int[] rest(List<Integer> remaining, double[] value, BitSet demoted, BitSet frontSet,
                       LogitSurrogate surrogate) {
        int n = value.length;
        List<Integer> left = new ArrayList<>();
        List<Integer> last = new ArrayList<>();
        for (int c : surrogate != null ? remaining : boxed(ranked(remaining, value))) {
            (demoted.get(c) ? last : left).add(c);
        }
        if (surrogate != null) {
            BitSet set = (BitSet) frontSet.clone();
            List<Integer> ordered = new ArrayList<>(left.size());
            while (!left.isEmpty()) {
                double[] v = predicted(set, false, surrogate, left, n);
                int best = left.get(0);
                for (int c : left) {
                    if (Ranking.before(v[c], c, v[best], best)) {
                        best = c;
                    }
                }
                ordered.add(best);
                set.set(best);
                left.remove(Integer.valueOf(best));
            }
            left = ordered;
        }
        left.addAll(last);
        return left.stream().mapToInt(Integer::intValue).toArray();
    }

    private static List<Integer> boxed(int[] a) {
        List<Integer> out = new ArrayList<>(a.length);
        for (int c : a) {
            out.add(c);
        }
        return out;
    }

    /** The side's last placement moved a curve's mean by more than {@value #JUMP}: its context changed. */
    private static boolean jumped(Side side) {
        int k = side.points.size();
        if (k < 2) {
            return false;
        }
        double[][] a = side.points.get(k - 2);
        double[][] b = side.points.get(k - 1);
        return Math.abs(SearchStep.mean(a[0]) - SearchStep.mean(b[0])) > JUMP
                || Math.abs(SearchStep.mean(a[1]) - SearchStep.mean(b[1])) > JUMP;
    }

    /**
     * Up to {@value #CONTEXT_PAIRS} random kept sets in the side's current context (its set plus each region left with
     * probability {@value #MASK_DENSITY}) with their complements, scored in one call so the surrogate learns which
     * regions left matter there; only while the budget leaves room for two more scorings of every region left and
     * for the rest's points.
     */
    private static void contextMasks(Side side, List<Integer> remaining, CheckedScorer checked,
                                     LogitSurrogate surrogate, SplittableRandom random) {
        int n = checked.regionCount();
        int r = remaining.size();
        long spare = checked.remaining() - TailPoints.cost(r - 1) - 4L * r;
        int pairs = (int) Math.min(CONTEXT_PAIRS, Math.max(0, spare / 2));
        if (pairs < 1) {
            return;
        }
        List<BitSet> images = new ArrayList<>(2 * pairs);
        for (int i = 0; i < pairs; i++) {
            BitSet m = (BitSet) side.set.clone();
            for (int c : remaining) {
                if (random.nextDouble() < MASK_DENSITY) {
                    m.set(c);
                }
            }
            images.add(m);
            images.add(KeptSets.complement(m, n));
        }
        score(checked, images, surrogate);
    }

    /**
     * For each region of {@code remaining} (other entries 0): the objective the surrogate predicts for the point made
     * by adding it to {@code set} (the front's S, or the back's T when {@code fromBack}), plus
     * {@value #LOGIT_WEIGHT} times the same on the logit scale.
     */
    private double[] predicted(BitSet set, boolean fromBack, LogitSurrogate surrogate, List<Integer> remaining, int n) {
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
                double z1 = inSet[t] + w; // keeps the set and c
                double z2 = inAll[t] - (inSet[t] - surrogate.intercept(t)) - w; // keeps the others
                double zi = fromBack ? z2 : z1;
                double zd = fromBack ? z1 : z2;
                p1[t] = LogitSurrogate.sigmoid(zi);
                p2[t] = LogitSurrogate.sigmoid(zd);
                logit += objective.lambda1() * zi - objective.lambda2() * zd;
            }
            out[c] = objective.value(p1, p2) + LOGIT_WEIGHT * logit / targets;
        }
        return out;
    }

    /**
     * For each region of {@code remaining}: its latest scored images moved into the side's current context. Their
     * logits (clamped to {@value #TRANSPORT_CLAMP}) are shifted by the surrogate's weights of the regions the side
     * placed since they were scored; {@code valueOut} receives the objective of the moved point, the result adds the
     * logit part. A stale gain measured a few regions ago says little once those regions change the model's
     * answer; the moved one keeps what was measured and what the surrogate knows of the change.
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
                double zi = clampedLogit(side.cands.ins[c][t]) + (side.fromBack ? -d : d);
                double zd = clampedLogit(side.cands.del[c][t]) + (side.fromBack ? d : -d);
                p1[t] = LogitSurrogate.sigmoid(zi);
                p2[t] = LogitSurrogate.sigmoid(zd);
                logit += objective.lambda1() * zi - objective.lambda2() * zd;
            }
            valueOut[c] = objective.value(p1, p2);
            out[c] = valueOut[c] + LOGIT_WEIGHT * logit / targets;
        }
        return out;
    }

    private static double clampedLogit(double p) {
        double q = Math.min(1 - TRANSPORT_CLAMP, Math.max(TRANSPORT_CLAMP, p));
        return Math.log(q / (1 - q));
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

        /** A copy of every candidate's latest evaluation (the arrays' rows are replaced, never written, by set). */
        Candidates copy() {
            Candidates c = new Candidates(value.length);
            System.arraycopy(value, 0, c.value, 0, value.length);
            System.arraycopy(gain, 0, c.gain, 0, gain.length);
            System.arraycopy(rank, 0, c.rank, 0, rank.length);
            System.arraycopy(step, 0, c.step, 0, step.length);
            System.arraycopy(ins, 0, c.ins, 0, ins.length);
            System.arraycopy(del, 0, c.del, 0, del.length);
            System.arraycopy(at, 0, c.at, 0, at.length);
            return c;
        }

        /** The candidates of {@code ids} whose latest evaluation is still the sweep's get {@code before}'s back. */
        void restoreSwept(Candidates before, List<Integer> ids) {
            for (int c : ids) {
                if (step[c] == SWEPT) {
                    value[c] = before.value[c];
                    gain[c] = before.gain[c];
                    rank[c] = before.rank[c];
                    step[c] = before.step[c];
                    ins[c] = before.ins[c];
                    del[c] = before.del[c];
                    at[c] = before.at[c];
                }
            }
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

        /** Replaces candidate c's insertion (or deletion) probabilities, scored at this step, keeping the other. */
        void complete(int c, double[] probs, boolean insertion, Side side, int atStep, Objective objective) {
            set(c, insertion ? probs : ins[c], insertion ? del[c] : probs, side, atStep, objective);
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
