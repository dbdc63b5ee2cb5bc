package io.github.eagle4j.text;

import io.github.eagle4j.MaskedBatch;
import io.github.eagle4j.ScoringException;
import io.github.eagle4j.TokenScorer;
import io.github.eagle4j.masking.Masker;
import io.github.eagle4j.search.KeptRegionsScorer;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Image regions and prompt spans as candidates of one search (docs/text.md, "Joint search"): candidate ids
 * {@code 0..N-1} are the image's regions, {@code N..N+M-1} the spans {@code 0..M-1}. A batch of kept sets goes to
 * {@link TokenScorer#scoreText} as one {@link TextMaskBatch} of masked images with masked prompts.
 */
public final class JointKeptScorer implements KeptRegionsScorer {
    private final TokenScorer scorer;
    private final Masker masker;
    private final TextMask mask;
    private final List<TextSpan> spans;
    private final int regions;
    private final int targetCount;

    public JointKeptScorer(TokenScorer scorer, Masker masker, TextMask mask, List<TextSpan> spans) {
        this.scorer = scorer;
        this.masker = masker;
        this.mask = mask;
        this.spans = List.copyOf(spans);
        this.regions = masker.regions().regionCount();
        this.targetCount = scorer.task().targets().size();
    }

    @Override
    public int regionCount() {
        return regions + spans.size();
    }

    /** N, the image's regions (candidate ids {@code 0..N-1}). */
    public int imageRegionCount() {
        return regions;
    }

    @Override
    public int targetCount() {
        return targetCount;
    }

    @Override
    public double[][] scoreKept(List<BitSet> kept) {
        List<BitSet> imageSets = new ArrayList<>(kept.size());
        List<BitSet> spanSets = new ArrayList<>(kept.size());
        for (BitSet k : kept) {
            imageSets.add(k.get(0, regions));
            spanSets.add(k.get(regions, regions + spans.size()));
        }
        double[][] p = scorer.scoreText(TextMaskBatch.onMaskedImages(new MaskedBatch(masker, imageSets), mask, spans, spanSets));
        if (p == null || p.length != kept.size()) {
            throw new ScoringException("scorer " + scorer.description().backend() + " returned " + (p == null ? "nothing" : p.length + " rows")
                    + " for " + kept.size() + " inputs");
        }
        return p;
    }

    /**
     * The curves' x axis: half for the image (each region its share of the pixels), half for the prompt (each span
     * its share of the spans' tokens).
     */
    public double[] candidateShares() {
        double[] area = masker.regions().areaFractions();
        double[] tokens = KeptSpansScorer.tokenShares(spans);
        double[] out = new double[regions + spans.size()];
        for (int r = 0; r < regions; r++) {
            out[r] = 0.5 * area[r];
        }
        for (int s = 0; s < spans.size(); s++) {
            out[regions + s] = 0.5 * tokens[s];
        }
        return out;
    }
}
