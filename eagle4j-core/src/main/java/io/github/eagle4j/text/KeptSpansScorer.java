package io.github.eagle4j.text;

import io.github.eagle4j.RgbImage;
import io.github.eagle4j.ScoringException;
import io.github.eagle4j.TokenScorer;
import io.github.eagle4j.search.KeptRegionsScorer;

import java.util.BitSet;
import java.util.List;
import java.util.Objects;

/**
 * Lets the region searches order prompt spans: a kept-region set is read as a kept-span set, and a batch of them
 * goes to {@link TokenScorer#scoreText} as one {@link TextMaskBatch} on the intact image (one call per batch). The
 * search code is the image search's, unchanged.
 */
public final class KeptSpansScorer implements KeptRegionsScorer {
    private final TokenScorer scorer;
    private final RgbImage image;
    private final TextMask mask;
    private final List<TextSpan> spans;
    private final int targetCount;

    /**
     * @param image the image every entry shows intact
     * @param mask  how removed spans are hidden
     * @param spans the prompt's spans, ids {@code 0..M-1}
     */
    public KeptSpansScorer(TokenScorer scorer, RgbImage image, TextMask mask, List<TextSpan> spans) {
        this.scorer = Objects.requireNonNull(scorer, "scorer");
        this.image = Objects.requireNonNull(image, "image");
        this.mask = Objects.requireNonNull(mask, "mask");
        this.spans = List.copyOf(spans);
        this.targetCount = scorer.task().targets().size();
    }

    @Override
    public int regionCount() {
        return spans.size();
    }

    @Override
    public int targetCount() {
        return targetCount;
    }

    @Override
    public double[][] scoreKept(List<BitSet> keptSpans) {
        double[][] scores = scorer.scoreText(TextMaskBatch.onImage(image, mask, spans, keptSpans));
        if (scores == null || scores.length != keptSpans.size()) {
            throw new ScoringException("scorer " + scorer.description().backend() + " returned "
                    + (scores == null ? "nothing" : scores.length + " rows") + " for " + keptSpans.size() + " kept-span sets");
        }
        for (double[] row : scores) {
            if (row == null || row.length != targetCount) {
                throw new ScoringException("scorer " + scorer.description().backend() + " returned a row of "
                        + (row == null ? 0 : row.length) + " probabilities for " + targetCount + " targets");
            }
        }
        return scores;
    }

    /** Each span's share of the spans' tokens: the x axis of the text curves, as pixel shares are for images. */
    public static double[] tokenShares(List<TextSpan> spans) {
        double total = 0;
        for (TextSpan s : spans) {
            total += s.tokenCount();
        }
        double[] out = new double[spans.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = spans.get(i).tokenCount() / total;
        }
        return out;
    }
}
