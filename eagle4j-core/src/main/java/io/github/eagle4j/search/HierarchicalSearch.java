package io.github.eagle4j.search;

import io.github.eagle4j.Exactness;
import io.github.eagle4j.ProgressListener;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Orders the regions of several frames (images of one prompt, or video frames) in two levels instead of searching
 * all of them together (docs/frames.md):
 * <ol>
 *   <li>the frames themselves are ordered as regions (a frame kept = all its regions kept) by {@code frameSearch};</li>
 *   <li>the regions of the {@code topFrames} most important frames are ordered by {@code regionSearch}, with every
 *       other frame removed in both the insertion and the deletion images (the question is asked of those frames);</li>
 *   <li>each other frame's regions are ranked without a search: each region is scored once, alone, with the frames
 *       ranked before its own kept in its insertion image and removed in its deletion image (2 images per region,
 *       all in one call), highest objective first;</li>
 *   <li>the final order interleaves those lists, keeping the order inside each: every step scores the head of each
 *       list as full greedy scores a candidate (insertion and deletion image on the whole canvas, one call) and
 *       places the best. A frame ranked low may still hold regions whose removal, beside the top frames', takes the
 *       answer away (a model may answer from one image's caption context when the other is blank), and this is where
 *       the deletion side finds them. The placed heads' images are the curve points, on the whole canvas, so the
 *       metrics compare with any other search's; once one list is left, its points are scored in one call.</li>
 * </ol>
 * Each distinct image is scored once per search ({@link SharedImages}). Images scored: the frame search's (about K²
 * for full greedy over K frames), the region search's over the top frames' regions, 2 per region of the other frames,
 * and at most 2 per open list per placed region for the interleaving (2N when one list is left), instead of a search
 * over all N regions. Heuristic: inside the frames it did not pick it ranks single regions, without a search.
 */
public final class HierarchicalSearch implements RegionSearch {
    private final RegionSearch frameSearch;
    private final RegionSearch regionSearch;
    private final Objective objective;
    private final int[] frameOfRegion;
    private final int frames;
    private final int topFrames;

    /**
     * @param frameSearch   orders the frames
     * @param regionSearch  orders the regions inside the top frames
     * @param objective     the objective, for the final curve points
     * @param frameOfRegion the frame of each region id ({@link io.github.eagle4j.FrameLayout#frameOfRegions})
     * @param topFrames     frames whose regions are searched, 1..K
     * @throws IllegalArgumentException when there are fewer than two frames, a frame has no region or
     *                                  {@code topFrames} is outside 1..K
     */
    public HierarchicalSearch(RegionSearch frameSearch, RegionSearch regionSearch, Objective objective, int[] frameOfRegion,
                              int topFrames) {
        this.frameSearch = Objects.requireNonNull(frameSearch, "frameSearch");
        this.regionSearch = Objects.requireNonNull(regionSearch, "regionSearch");
        this.objective = Objects.requireNonNull(objective, "objective");
        this.frameOfRegion = frameOfRegion.clone();
        int k = 0;
        for (int f : frameOfRegion) {
            if (f < 0) {
                throw new IllegalArgumentException("every region needs a frame");
            }
            k = Math.max(k, f + 1);
        }
        boolean[] seen = new boolean[k];
        for (int f : frameOfRegion) {
            seen[f] = true;
        }
        for (int f = 0; f < k; f++) {
            if (!seen[f]) {
                throw new IllegalArgumentException("frame " + f + " has no region");
            }
        }
        if (k < 2) {
            throw new IllegalArgumentException("a hierarchical search needs at least 2 frames, got " + k);
        }
        if (topFrames < 1 || topFrames > k) {
            throw new IllegalArgumentException("top frames must be in 1.." + k + ", got " + topFrames);
        }
        this.frames = k;
        this.topFrames = topFrames;
    }

    @Override
    public SearchTrace search(KeptRegionsScorer original, double[] regionAreas, ProgressListener listener) {
        int n = frameOfRegion.length;
        if (original.regionCount() != n) {
            throw new IllegalArgumentException("the scorer has " + original.regionCount() + " regions, the frames " + n);
        }
        // the levels meet the same images (whole frames, a top region alone, the curves' ends): each costs once
        SharedImages scorer = new SharedImages(original);
        BitSet[] regionsOf = new BitSet[frames];
        double[] frameAreas = new double[frames];
        for (int f = 0; f < frames; f++) {
            regionsOf[f] = new BitSet(n);
        }
        for (int r = 0; r < n; r++) {
            regionsOf[frameOfRegion[r]].set(r);
            frameAreas[frameOfRegion[r]] += regionAreas[r];
        }

        // 1. frames as regions
        int[] frameOrder = frameSearch.search(new Mapped(scorer, frames, kept -> {
            BitSet out = new BitSet(n);
            kept.stream().forEach(f -> out.or(regionsOf[f]));
            return out;
        }), frameAreas, ProgressListener.NONE).order();

        // 2. regions of the top frames, the other frames removed
        List<int[]> lists = new ArrayList<>();
        BitSet context = new BitSet(n);
        for (int i = 0; i < topFrames; i++) {
            context.or(regionsOf[frameOrder[i]]);
        }
        int[] subIds = context.stream().toArray();
        if (subIds.length >= 2) {
            double[] subAreas = new double[subIds.length];
            for (int i = 0; i < subIds.length; i++) {
                subAreas[i] = regionAreas[subIds[i]];
            }
            int[] subOrder = regionSearch.search(new Mapped(scorer, subIds.length, kept -> {
                BitSet out = new BitSet(n);
                kept.stream().forEach(i -> out.set(subIds[i]));
                return out;
            }), subAreas, (p, total, img) -> listener.onProgress(0, n, scorer.imagesScored())).order();
            int[] top = new int[subIds.length];
            for (int i = 0; i < top.length; i++) {
                top[i] = subIds[subOrder[i]];
            }
            lists.add(top);
        } else {
            lists.add(subIds);
        }

        // 3. each other frame's regions, ranked alone in the context of the frames ranked before it, all in one call
        List<BitSet> alone = new ArrayList<>();
        for (int i = topFrames; i < frames; i++) {
            BitSet rs = regionsOf[frameOrder[i]];
            for (int r = rs.nextSetBit(0); r >= 0; r = rs.nextSetBit(r + 1)) {
                BitSet kept = (BitSet) context.clone();
                kept.set(r);
                alone.add(kept);
                alone.add(KeptSets.complement(kept, n));
            }
            context.or(rs);
        }
        double[][] aloneScores = alone.isEmpty() ? new double[0][] : scorer.scoreKept(alone);
        int next = 0;
        for (int i = topFrames; i < frames; i++) {
            int[] ids = regionsOf[frameOrder[i]].stream().toArray();
            double[] values = new double[ids.length];
            for (int j = 0; j < ids.length; j++, next++) {
                values[j] = objective.value(aloneScores[2 * next], aloneScores[2 * next + 1]);
            }
            lists.add(Ranking.sorted(ids, values));
        }

        // 4. the lists interleaved by the objective on the whole canvas
        return interleave(scorer, lists, regionAreas, listener);
    }

    /** Places, step by step, the best head of the lists (full greedy over the heads); a last list in one call. */
    private SearchTrace interleave(SharedImages scorer, List<int[]> lists, double[] regionAreas, ProgressListener listener) {
        int n = frameOfRegion.length;
        int[] head = new int[lists.size()];
        BitSet chosen = new BitSet(n);
        List<SearchStep> steps = new ArrayList<>(n);
        double area = 0;
        while (steps.size() < n) {
            List<Integer> open = new ArrayList<>();
            for (int l = 0; l < lists.size(); l++) {
                if (head[l] < lists.get(l).length) {
                    open.add(l);
                }
            }
            // one list left: its order is fixed, its curve points are scored together
            int[] candidates;
            if (open.size() == 1) {
                int l = open.get(0);
                candidates = Arrays.copyOfRange(lists.get(l), head[l], lists.get(l).length);
            } else {
                candidates = new int[open.size()];
                for (int i = 0; i < candidates.length; i++) {
                    candidates[i] = lists.get(open.get(i))[head[open.get(i)]];
                }
            }
            List<BitSet> batch = new ArrayList<>(2 * candidates.length);
            BitSet prefix = (BitSet) chosen.clone();
            for (int c : candidates) {
                BitSet kept = open.size() == 1 ? prefix : (BitSet) chosen.clone();
                kept.set(c);
                batch.add((BitSet) kept.clone());
                batch.add(KeptSets.complement(kept, n));
            }
            double[][] probs = scorer.scoreKept(batch);
            if (open.size() == 1) {
                for (int i = 0; i < candidates.length; i++) {
                    area += regionAreas[candidates[i]];
                    steps.add(new SearchStep(candidates[i], objective.value(probs[2 * i], probs[2 * i + 1]),
                            probs[2 * i], probs[2 * i + 1], area, false));
                }
                break;
            }
            double[] values = new double[candidates.length];
            for (int i = 0; i < candidates.length; i++) {
                values[i] = objective.value(probs[2 * i], probs[2 * i + 1]);
            }
            int w = Ranking.best(candidates, values);
            head[open.get(w)]++;
            chosen.set(candidates[w]);
            area += regionAreas[candidates[w]];
            steps.add(new SearchStep(candidates[w], values[w], probs[2 * w], probs[2 * w + 1], area, false));
            listener.onProgress(steps.size(), n, scorer.imagesScored());
        }
        listener.onProgress(n, n, scorer.imagesScored());
        SearchStep last = steps.get(n - 1);
        // the last step keeps every region (the original image) and removes every region (the blank one)
        return new SearchTrace(steps, last.insertionProbs().clone(), last.deletionProbs().clone(), scorer.imagesScored(),
                scorer.calls(), Exactness.HEURISTIC, false);
    }

    @Override
    public String name() {
        return "hierarchical";
    }

    /** The region search's knobs, plus {@code hierarchical}: the image count, the top images and the image-level search. */
    @Override
    public Map<String, Object> settings() {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("frames", frames);
        h.put("topFrames", topFrames);
        h.put("frameSearch", frameSearch.name());
        Map<String, Object> s = new LinkedHashMap<>(regionSearch.settings());
        s.put("hierarchical", h);
        return s;
    }

    /** A scorer over a smaller id space, each kept set mapped to the original regions. */
    private static final class Mapped implements KeptRegionsScorer {
        private final KeptRegionsScorer scorer;
        private final int count;
        private final java.util.function.Function<BitSet, BitSet> map;

        Mapped(KeptRegionsScorer scorer, int count, java.util.function.Function<BitSet, BitSet> map) {
            this.scorer = scorer;
            this.count = count;
            this.map = map;
        }

        @Override
        public int regionCount() {
            return count;
        }

        @Override
        public int targetCount() {
            return scorer.targetCount();
        }

        @Override
        public double[][] scoreKept(List<BitSet> keptRegions) {
            List<BitSet> mapped = new ArrayList<>(keptRegions.size());
            for (BitSet b : keptRegions) {
                mapped.add(map.apply(b));
            }
            return scorer.scoreKept(mapped);
        }
    }
}
