package io.github.eagle4j.search;

import io.github.eagle4j.ProgressListener;

import java.util.ArrayList;
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
 *   <li>the regions of the remaining frames follow, frame by frame in the frames' order; inside such a frame each
 *       region is scored once, alone, in the context where the final curves meet it (the frames ranked before it kept
 *       in its insertion image, removed in its deletion image; 2 images per region, all in one call), and the frame's
 *       regions are placed by that objective, highest first;</li>
 *   <li>its insertion and deletion curves are then measured along the final order on the whole canvas (2N images in
 *       one call), so they compare with any other search's.</li>
 * </ol>
 * Images scored: the frame search's (about K² for full greedy over K frames), the region search's over the top frames'
 * regions, 2 per region of the other frames, and 2N for the curves, instead of a search over all N regions.
 * Heuristic: inside the frames it did not pick it ranks single regions, without a search.
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
    public SearchTrace search(KeptRegionsScorer scorer, double[] regionAreas, ProgressListener listener) {
        int n = frameOfRegion.length;
        if (scorer.regionCount() != n) {
            throw new IllegalArgumentException("the scorer has " + scorer.regionCount() + " regions, the frames " + n);
        }
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
        SearchTrace frameTrace = frameSearch.search(new Mapped(scorer, frames, kept -> {
            BitSet out = new BitSet(n);
            kept.stream().forEach(f -> out.or(regionsOf[f]));
            return out;
        }), frameAreas, ProgressListener.NONE);
        int[] frameOrder = frameTrace.order();

        // 2. regions of the top frames, the other frames removed
        List<Integer> sub = new ArrayList<>();
        BitSet top = new BitSet(frames);
        for (int i = 0; i < topFrames; i++) {
            top.set(frameOrder[i]);
        }
        for (int r = 0; r < n; r++) {
            if (top.get(frameOfRegion[r])) {
                sub.add(r);
            }
        }
        int[] subIds = sub.stream().mapToInt(Integer::intValue).toArray();
        double[] subAreas = new double[subIds.length];
        for (int i = 0; i < subIds.length; i++) {
            subAreas[i] = regionAreas[subIds[i]];
        }
        int[] order = new int[n];
        int placed = 0;
        long images = frameTrace.imagesScored();
        int calls = frameTrace.scorerCalls();
        if (subIds.length >= 2) {
            SearchTrace regionTrace = regionSearch.search(new Mapped(scorer, subIds.length, kept -> {
                BitSet out = new BitSet(n);
                kept.stream().forEach(i -> out.set(subIds[i]));
                return out;
            }), subAreas, (p, total, img) -> listener.onProgress(p, n, img));
            for (int i : regionTrace.order()) {
                order[placed++] = subIds[i];
            }
            images += regionTrace.imagesScored();
            calls += regionTrace.scorerCalls();
        } else {
            for (int r : subIds) {
                order[placed++] = r;
            }
        }
        // 3. the other frames' regions, frame by frame in the frames' order; inside a frame by the region's own
        // objective in the context of the frames ranked before it (those kept in the insertion image, removed in the
        // deletion image: where the final curves will meet it), all frames' candidates in one call
        List<BitSet> tail = new ArrayList<>();
        List<Integer> tailRegions = new ArrayList<>();
        BitSet context = new BitSet(n);
        for (int i = 0; i < topFrames; i++) {
            context.or(regionsOf[frameOrder[i]]);
        }
        BitSet everything = new BitSet(n);
        everything.set(0, n);
        int[] tailStart = new int[frames - topFrames + 1];
        for (int i = topFrames; i < frames; i++) {
            tailStart[i - topFrames] = tailRegions.size();
            BitSet rs = regionsOf[frameOrder[i]];
            for (int r = rs.nextSetBit(0); r >= 0; r = rs.nextSetBit(r + 1)) {
                BitSet kept = (BitSet) context.clone();
                kept.set(r);
                BitSet removed = (BitSet) everything.clone();
                removed.andNot(kept);
                tail.add(kept);
                tail.add(removed);
                tailRegions.add(r);
            }
            context.or(rs);
        }
        tailStart[frames - topFrames] = tailRegions.size();
        if (!tail.isEmpty()) {
            double[][] tailScores = scorer.scoreKept(tail);
            images += tail.size();
            calls++;
            for (int f = 0; f < frames - topFrames; f++) {
                List<Integer> ids = new ArrayList<>();
                for (int i = tailStart[f]; i < tailStart[f + 1]; i++) {
                    ids.add(i);
                }
                // highest objective first; ties by region id (ids ascend within a frame)
                ids.sort((a, b) -> Double.compare(objective.value(tailScores[2 * b], tailScores[2 * b + 1]),
                        objective.value(tailScores[2 * a], tailScores[2 * a + 1])));
                for (int i : ids) {
                    order[placed++] = tailRegions.get(i);
                }
            }
        }

        // curves along the final order on the whole canvas: prefixes kept, then prefixes removed
        List<BitSet> sets = new ArrayList<>(2 * n);
        BitSet prefix = new BitSet(n);
        BitSet all = new BitSet(n);
        all.set(0, n);
        for (int k = 0; k < n; k++) {
            prefix.set(order[k]);
            sets.add((BitSet) prefix.clone());
            BitSet rest = (BitSet) all.clone();
            rest.andNot(prefix);
            sets.add(rest);
        }
        double[][] scores = scorer.scoreKept(sets);
        images += sets.size();
        calls++;
        List<SearchStep> steps = new ArrayList<>(n);
        double area = 0;
        for (int k = 0; k < n; k++) {
            area += regionAreas[order[k]];
            double[] ins = scores[2 * k];
            double[] del = scores[2 * k + 1];
            steps.add(new SearchStep(order[k], objective.value(ins, del), ins.clone(), del.clone(), area, false));
        }
        listener.onProgress(n, n, images);
        return new SearchTrace(steps, scores[2 * n - 2].clone(), scores[2 * n - 1].clone(), images, calls, io.github.eagle4j.Exactness.HEURISTIC,
                false);
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
