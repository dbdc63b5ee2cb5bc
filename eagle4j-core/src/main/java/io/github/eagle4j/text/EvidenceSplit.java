package io.github.eagle4j.text;

import io.github.eagle4j.MaskedBatch;
import io.github.eagle4j.ScoringException;
import io.github.eagle4j.Target;
import io.github.eagle4j.TokenScorer;
import io.github.eagle4j.masking.Masker;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * How one target token's probability splits between the image, the prompt and neither (the language prior), from
 * four teacher-forced probabilities (docs/text.md, "Evidence split"): {@code full} (image and prompt intact),
 * {@code imageOnly} (every span hidden), {@code promptOnly} (every region removed) and {@code neither} (both).
 * The two sources share the gain over the prior as the Shapley values of a two-player game:
 * {@code image = ½[(imageOnly − neither) + (full − promptOnly)]},
 * {@code prompt = ½[(promptOnly − neither) + (full − imageOnly)]}, so {@code neither + image + prompt = full}.
 *
 * @param target     the token
 * @param full       image and prompt intact
 * @param imageOnly  image intact, every prompt span hidden
 * @param promptOnly every image region removed, prompt intact
 * @param neither    both removed: the language prior
 * @param image      the image's share of {@code full}
 * @param prompt     the prompt's share of {@code full}
 * @param label      {@code perception}, {@code prompt} or {@code language-prior}: the largest of image, prompt and
 *                   neither; {@code mixed} when the two largest are closer than {@link #TIE_MARGIN} of {@code full}
 */
public record EvidenceSplit(Target target, double full, double imageOnly, double promptOnly, double neither,
                            double image, double prompt, String label) {
    public static final String PERCEPTION = "perception";
    public static final String PROMPT = "prompt";
    public static final String LANGUAGE_PRIOR = "language-prior";
    public static final String MIXED = "mixed";
    /**
     * Two parts closer than this share of the token's probability ({@code full}) are a near tie, labelled
     * {@link #MIXED}: on an answer that needs both the image and the prompt the Shapley split is about ½ and ½, and
     * which half is larger by 0.001 says nothing.
     */
    public static final double TIE_MARGIN = 0.1;

    /** The split of four probabilities. */
    public static EvidenceSplit of(Target target, double full, double imageOnly, double promptOnly, double neither) {
        double image = 0.5 * ((imageOnly - neither) + (full - promptOnly));
        double prompt = 0.5 * ((promptOnly - neither) + (full - imageOnly));
        return new EvidenceSplit(target, full, imageOnly, promptOnly, neither, image, prompt, label(image, prompt, neither, full));
    }

    /** The largest part's label, or {@link #MIXED} when the runner-up is within {@link #TIE_MARGIN}{@code ·|full|}. */
    static String label(double image, double prompt, double neither, double full) {
        double[] parts = {image, prompt, neither};
        String[] names = {PERCEPTION, PROMPT, LANGUAGE_PRIOR};
        int best = 0;
        for (int i = 1; i < parts.length; i++) {
            if (parts[i] > parts[best]) {
                best = i;
            }
        }
        for (int i = 0; i < parts.length; i++) {
            if (i != best && parts[best] - parts[i] < TIE_MARGIN * Math.abs(full)) {
                return MIXED;
            }
        }
        return names[best];
    }

    /**
     * Scores the four inputs of every target in one call and splits them.
     *
     * @param masker the image, its regions and the fill ("every region removed" is the fill image)
     * @param spans  the prompt's spans ("every span hidden" hides them all with {@code mask})
     */
    public static List<EvidenceSplit> measure(TokenScorer scorer, Masker masker, List<TextSpan> spans, TextMask mask) {
        int n = masker.regions().regionCount();
        BitSet allRegions = new BitSet();
        allRegions.set(0, n);
        BitSet allSpans = new BitSet();
        allSpans.set(0, spans.size());
        BitSet none = new BitSet();
        MaskedBatch images = new MaskedBatch(masker, List.of(allRegions, allRegions, none, none));
        double[][] p = scorer.scoreText(TextMaskBatch.onMaskedImages(images, mask, spans, List.of(allSpans, none, allSpans, none)));
        List<Target> targets = scorer.task().targets();
        if (p == null || p.length != 4) {
            throw new ScoringException("scorer " + scorer.description().backend() + " returned " + (p == null ? "nothing" : p.length + " rows")
                    + " for 4 inputs");
        }
        List<EvidenceSplit> out = new ArrayList<>();
        for (int t = 0; t < targets.size(); t++) {
            out.add(of(targets.get(t), p[0][t], p[1][t], p[2][t], p[3][t]));
        }
        return out;
    }

    /** The answer's split: each part averaged over the targets (the method's mean over targets, docs/method.md §1). */
    public static EvidenceSplit mean(List<EvidenceSplit> splits) {
        double full = 0;
        double io = 0;
        double po = 0;
        double ne = 0;
        for (EvidenceSplit s : splits) {
            full += s.full;
            io += s.imageOnly;
            po += s.promptOnly;
            ne += s.neither;
        }
        int k = splits.size();
        return of(new Target(-1, "", -1), full / k, io / k, po / k, ne / k);
    }
}
