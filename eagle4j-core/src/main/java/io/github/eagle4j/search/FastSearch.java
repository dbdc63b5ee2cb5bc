package io.github.eagle4j.search;

import io.github.eagle4j.ProgressListener;
import io.github.eagle4j.SearchKind;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * eagle4j's fast search (docs/search.md): full greedy's choices at a small share of its images, a heuristic
 * that reports what it verified.
 *
 * <ol>
 *   <li><b>Step 1 in full.</b> One call scores the original, the blank image and every region's insertion and
 *       deletion image (2N + 2 images): step 1 is full greedy's step 1, verified, and every candidate gets a gain.</li>
 *   <li><b>Windowed steps.</b> Each later step re-scores, against the regions placed so far, only the
 *       {@code window} candidates with the largest latest gains (their last evaluation, fresh or stale), in one
 *       call. Candidates outside the window whose latest gain still beats the best fresh gain are re-scored next,
 *       a window at a time, until none does (lazy greedy's test). The best freshly scored candidate is placed;
 *       when every remaining candidate was scored this step, the step is verified.</li>
 *   <li><b>Saturation.</b> Once the objective of the placed regions reaches that of the full image, within
 *       {@code saturation}·|F(V)| (insertion has risen and deletion has fallen), the remaining regions are ordered
 *       by their latest gains and their curve points are scored in one call (2 per region, the last region's
 *       point is the original/blank pair already scored).</li>
 *   <li><b>Budget.</b> With a budget, the windowed steps stop early enough that the tail's points can still be
 *       scored; a budget too small for those is spent on the search and the tail's points are interpolated
 *       (then the trace is approximate). Below 2N + 2 images the search is refused.</li>
 * </ol>
 * Deterministic: no randomness; ties go to the larger value, then the lower region id, as everywhere.
 */
public final class FastSearch implements RegionSearch {
    /** Candidates re-scored per windowed call. */
    public static final int DEFAULT_WINDOW = 4;
    /** Relative distance below F(V) at which the exact phase stops. */
    public static final double DEFAULT_SATURATION = 0.01;

    private final Objective objective;
    private final int window;
    private final double saturation;
    private final long budget;

    /** Fast search with the default window and saturation and no budget. */
    public FastSearch(Objective objective) {
        this(objective, DEFAULT_WINDOW, DEFAULT_SATURATION, SearchBudget.UNLIMITED);
    }

    /**
     * @param window     candidates re-scored per windowed call, ≥ 1
     * @param saturation ε ≥ 0: the exact phase stops once F_k ≥ F(V) − ε·|F(V)|
     * @param budget     images allowed, or {@link SearchBudget#UNLIMITED}
     * @throws IllegalArgumentException when a knob is out of range
     */
    public FastSearch(Objective objective, int window, double saturation, long budget) {
        this.objective = Objects.requireNonNull(objective, "objective");
        if (window < 1) {
            throw new IllegalArgumentException("fast search window must be >= 1, got " + window);
        }
        if (!Double.isFinite(saturation) || saturation < 0) {
            throw new IllegalArgumentException("fast search saturation must be finite and >= 0, got " + saturation);
        }
        this.window = window;
        this.saturation = saturation;
        this.budget = SearchBudget.check(budget);
    }

    /** The smallest budget for N regions: the first call, 2N + 2 images. */
    public static long smallestBudget(int n) {
        return 2L * n + 2;
    }

    @Override
    public SearchTrace search(KeptRegionsScorer scorer, double[] regionAreas, ProgressListener listener) {
        Objects.requireNonNull(listener, "listener");
        CheckedScorer checked = new CheckedScorer(scorer, regionAreas, budget);
        int n = checked.regionCount();
        SearchBudget.require(budget, smallestBudget(n), name(), n, "");
        TraceBuilder trace = new TraceBuilder(objective, regionAreas);
        BitSet chosen = new BitSet(n);

        List<BitSet> first = new ArrayList<>(2 * n + 2);
        first.add(KeptSets.all(n));
        first.add(new BitSet(n));
        int[] all = new int[n];
        for (int c = 0; c < n; c++) {
            all[c] = c;
        }
        addImages(first, chosen, all, n);
        int pairs = Integer.getInteger("fast.masks", 0) / 2;
        BitSet[] masks = randomMasks(n, pairs, 0x5eed);
        for (BitSet m : masks) {
            first.add(m);
            first.add(KeptSets.complement(m, n));
        }
        double[][] probs = checked.score(first);
        double[] fullProbs = probs[0];
        double[] blankProbs = probs[1];
        double threshold = objective.value(fullProbs, blankProbs);
        threshold -= Double.parseDouble(System.getProperty("fast.sat", String.valueOf(saturation)))
                * Math.abs(threshold);
        double[] prior = prior(masks, probs, 2 + 2 * n, n);

        Candidates cands = new Candidates(n);
        double current = objective.ofEmptySet(fullProbs, blankProbs);
        cands.update(all, probs, 2, current, 0, objective);
        double[] singletonGain = cands.gain.clone();
        int explore = Integer.getInteger("fast.explore", 0);
        boolean skipRecent = Boolean.getBoolean("fast.skiprecent");
        double priorFloor = Double.NEGATIVE_INFINITY;
        String floorMode = System.getProperty("fast.floor", "none");
        if (floorMode.equals("zero")) {
            priorFloor = 0;
        } else if (floorMode.equals("median")) {
            double[] abs = new double[n];
            for (int c = 0; c < n; c++) {
                abs[c] = Math.abs(prior[c]);
            }
            java.util.Arrays.sort(abs);
            priorFloor = abs[n / 2];
        }

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
                    break; // saturated: the rest is ordered by latest gains below
                }
                int[] ranked = cands.rankedByGain(remaining);
                int[] byPrior = pairs > 0 ? singletonOrder(remaining, prior) : new int[0];
                boolean[] fresh = new boolean[n];
                int scored = 0;
                int next = 0;
                int nextPrior = 0;
                double bestGain = Double.NEGATIVE_INFINITY;
                while (scored < r) {
                    long spare = checked.remaining() - TailPoints.cost(r - 1);
                    int w = (int) Math.min(Math.min(scored == 0 ? window + explore : window, r - scored), spare / 2);
                    if (w < 1) {
                        break; // the budget is kept for the tail's points
                    }
                    List<Integer> pick = new ArrayList<>(w);
                    if (scored == 0) {
                        for (; nextPrior < byPrior.length && pick.size() < Math.min(explore, w); nextPrior++) {
                            if (!fresh[byPrior[nextPrior]] && prior[byPrior[nextPrior]] > priorFloor
                                    && !(skipRecent && cands.step[byPrior[nextPrior]] == step - 1)) {
                                pick.add(byPrior[nextPrior]);
                                fresh[byPrior[nextPrior]] = true;
                            }
                        }
                    }
                    for (; next < ranked.length && pick.size() < w; next++) {
                        if (!fresh[ranked[next]]) {
                            pick.add(ranked[next]);
                            fresh[ranked[next]] = true;
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
                    while (next < ranked.length && fresh[ranked[next]]) {
                        next++;
                    }
                    if (next >= ranked.length || !(cands.gain[ranked[next]] > bestGain)) {
                        break; // no stale gain left that could beat the best fresh one
                    }
                }
                if (scored == 0) {
                    break;
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
        String tm = System.getProperty("fast.tail", "stale");
        int[] tail = tm.equals("single") ? singletonOrder(remaining, singletonGain)
                : tm.equals("prior") ? singletonOrder(remaining, prior) : cands.rankedByGain(remaining);
        if (remaining.size() == 1 && searched == n - 1) {
            verified++; // one candidate left: its scoring is trivially full
            searched++;
        }
        int rounds = Integer.getInteger("fast.repair", 0);
        if (rounds > 0 && tail.length > 2) {
            tail = repaired(tail, chosen, checked, current, rounds, regionAreas);
        }
        TailPoints.append(trace, tail, chosen, checked, fullProbs, blankProbs);
        listener.onProgress(n, n, checked.imagesScored());
        String tailOrder = searched == n ? SearchCertificate.TAIL_NONE : SearchCertificate.TAIL_STALE_GAINS;
        return trace.build(fullProbs, blankProbs, checked, verified == n ? "exact" : "heuristic", verified, searched,
                tailOrder);
    }

    /** {@code pairs} seeded random kept sets, each region kept with probability 1/2. */
    private static BitSet[] randomMasks(int n, int pairs, long seed) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
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
     * Each region's mean effect over the random masks (a Banzhaf estimate): the objective of a mask (kept) and its
     * complement (removed) differ by the regions they split, so the difference is credited to each region with the
     * sign of its side.
     */
    private double[] prior(BitSet[] masks, double[][] probs, int offset, int n) {
        double[] beta = new double[n];
        if (masks.length == 0) {
            return beta;
        }
        for (int i = 0; i < masks.length; i++) {
            double[] kept = probs[offset + 2 * i];
            double[] removed = probs[offset + 2 * i + 1];
            double d = objective.value(kept, removed) - objective.value(removed, kept);
            for (int c = 0; c < n; c++) {
                beta[c] += masks[i].get(c) ? d : -d;
            }
        }
        for (int c = 0; c < n; c++) {
            beta[c] /= masks.length;
        }
        return beta;
    }

    private static int[] singletonOrder(List<Integer> ids, double[] gain) {
        int[] a = ids.stream().mapToInt(Integer::intValue).toArray();
        double[] g = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            g[i] = gain[a[i]];
        }
        return Ranking.sorted(a, g);
    }

    /**
     * Measures the tail's prefix points, re-sorts the tail by the gains measured along it, and keeps the better of
     * the measured orders by the area-weighted objective; repeats while the budget allows.
     */
    private int[] repaired(int[] tail, BitSet chosen, CheckedScorer checked, double before, int rounds,
                           double[] areas) {
        int n = checked.regionCount();
        int[] best = tail;
        double bestScore = Double.NEGATIVE_INFINITY;
        int[] current = tail;
        for (int round = 0; round < rounds; round++) {
            // keep enough for the final measured append
            if (2 * TailPoints.cost(current.length) > checked.remaining()) {
                break;
            }
            List<BitSet> batch = new ArrayList<>();
            BitSet kept = (BitSet) chosen.clone();
            for (int j = 0; j < current.length - 1; j++) {
                kept.set(current[j]);
                batch.add((BitSet) kept.clone());
                batch.add(KeptSets.complement(kept, n));
            }
            double[][] probs = checked.score(batch);
            double[] g = new double[current.length];
            double prev = before;
            double score = 0;
            for (int j = 0; j < current.length - 1; j++) {
                double f = objective.value(probs[2 * j], probs[2 * j + 1]);
                g[j] = f - prev;
                prev = f;
                score += f * areas[current[j]];
            }
            g[current.length - 1] = Double.NEGATIVE_INFINITY;
            if (score > bestScore) {
                bestScore = score;
                best = current;
            }
            int[] next = Ranking.sorted(current, g);
            if (java.util.Arrays.equals(next, current)) {
                break;
            }
            current = next;
        }
        return best;
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
            int[] a = ids.stream().mapToInt(Integer::intValue).toArray();
            double[] g = new double[a.length];
            for (int i = 0; i < a.length; i++) {
                g[i] = gain[a[i]];
            }
            return Ranking.sorted(a, g);
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
                SearchSettings.SATURATION, saturation);
    }
}
