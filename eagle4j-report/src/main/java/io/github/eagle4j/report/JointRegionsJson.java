package io.github.eagle4j.report;

import io.github.eagle4j.text.EvidenceSplit;
import io.github.eagle4j.text.ImageShares;
import io.github.eagle4j.text.JointExplanation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The joint-search fields of {@code explanation.json} (docs/text.md): {@code jointOrder} (candidates, most important
 * first, each {@code {kind: region|span, id}}), {@code jointSearch} (mask, search, curves, AUCs, scores per region
 * and per span, counts), {@code evidenceSplit} (per target: the four probabilities, the image's and the prompt's
 * shares, the label) and {@code answerEvidence} (the same for the targets' mean). With several images or a video,
 * each split's {@code images} divides its image share among them ({@link ImageShares}).
 */
public final class JointRegionsJson {
    private JointRegionsJson() {
    }

    /** The four top-level fields, in order. */
    public static Map<String, Object> fields(JointExplanation e) {
        List<Map<String, Object>> order = new ArrayList<>();
        int n = e.regions().regionCount();
        for (int id : e.order()) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("kind", e.isSpan(id) ? "span" : "region");
            c.put("id", e.isSpan(id) ? id - n : id);
            order.add(c);
        }
        Map<String, Object> search = new LinkedHashMap<>();
        search.put("mask", e.mask().cliName());
        search.put("search", e.search().name().toLowerCase(java.util.Locale.ROOT));
        search.put("insertionCurve", e.insertionCurve());
        search.put("deletionCurve", e.deletionCurve());
        search.put("shareCurve", e.shareCurve());
        search.put("insertionAuc", e.insertionAuc());
        search.put("deletionAuc", e.deletionAuc());
        search.put("regionScores", e.regionScores());
        search.put("spanScores", e.spanScores());
        search.put("forwardPasses", e.forwardPasses());
        search.put("elapsedMs", e.elapsedMs());
        ImageShares shares = e.imageShares();
        if (shares != null) {
            search.put("imageGroups", shares.groups());
            Map<String, Object> how = new LinkedHashMap<>();
            how.put("exact", shares.exact());
            how.put("permutations", shares.permutations());
            how.put("inputs", shares.inputs());
            search.put("imageShares", how);
        }
        List<Map<String, Object>> split = new ArrayList<>();
        for (int t = 0; t < e.evidence().size(); t++) {
            EvidenceSplit s = e.evidence().get(t);
            Map<String, Object> m = split(s);
            m.put("index", s.target().index());
            m.put("token", s.target().token());
            if (shares != null) {
                m.put(IMAGES, shares.shares()[t]);
            }
            split.add(m);
        }
        Map<String, Object> answer = split(e.answerEvidence());
        if (shares != null) {
            answer.put(IMAGES, shares.answerShares());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("jointOrder", order);
        out.put("jointSearch", search);
        out.put("evidenceSplit", split);
        out.put("answerEvidence", answer);
        return out;
    }

    /**
     * The field of a split that divides its {@code image} part among the prompt's images (the groups of
     * {@code jointSearch.imageGroups}, in order); only with several images or a video.
     */
    public static final String IMAGES = "images";

    private static Map<String, Object> split(EvidenceSplit s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("full", s.full());
        m.put("imageOnly", s.imageOnly());
        m.put("promptOnly", s.promptOnly());
        m.put("neither", s.neither());
        m.put("image", s.image());
        m.put("prompt", s.prompt());
        m.put("label", s.label());
        return m;
    }
}
