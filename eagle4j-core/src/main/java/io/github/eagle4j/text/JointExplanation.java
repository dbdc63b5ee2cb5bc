package io.github.eagle4j.text;

import io.github.eagle4j.RegionSet;
import io.github.eagle4j.SearchKind;
import io.github.eagle4j.Target;

import java.util.List;

/**
 * Image regions and prompt spans ordered by one search (docs/text.md, "Joint search"), with each target's evidence
 * split between image, prompt and language prior. Candidate ids: {@code 0..N-1} regions, {@code N..N+M-1} spans.
 *
 * @param prompt          the prompt
 * @param answer          the answer
 * @param targets         the explained tokens
 * @param mask            how removed spans were hidden
 * @param regions         the image's regions (N)
 * @param spans           the prompt's spans (M)
 * @param order           candidate ids, most important first
 * @param insertionCurve  mean target probability with only the first k candidates kept
 * @param deletionCurve   mean target probability with the first k candidates removed
 * @param shareCurve      the x axis: half the pixel share of the regions plus half the token share of the spans
 * @param insertionAuc    area under the insertion curve
 * @param deletionAuc     area under the deletion curve
 * @param regionScores    per region id, its gain along the joint order's regions with the prompt intact, over the largest ({@link SourceGains})
 * @param spanScores      per span id, its gain along the joint order's spans with the image intact, over the largest
 * @param evidence        per target, its evidence split
 * @param answerEvidence  the split of the targets' mean
 * @param search          the search used
 * @param forwardPasses   inputs scored (the four of the split included)
 * @param elapsedMs       wall time
 * @param imageShares     with several images or a video's frames: how the image part of each split divides among
 *                        them ({@link ImageShares}); {@code null} for one image
 */
public record JointExplanation(String prompt, String answer, List<Target> targets, TextMask mask, RegionSet regions,
                               List<TextSpan> spans, int[] order, double[] insertionCurve, double[] deletionCurve,
                               double[] shareCurve, double insertionAuc, double deletionAuc, double[] regionScores,
                               double[] spanScores, List<EvidenceSplit> evidence, EvidenceSplit answerEvidence,
                               SearchKind search, long forwardPasses, long elapsedMs, ImageShares imageShares) {
    public JointExplanation {
        targets = List.copyOf(targets);
        spans = List.copyOf(spans);
        evidence = List.copyOf(evidence);
    }

    /** Whether candidate {@code id} is a prompt span (else an image region). */
    public boolean isSpan(int id) {
        return id >= regions.regionCount();
    }
}
