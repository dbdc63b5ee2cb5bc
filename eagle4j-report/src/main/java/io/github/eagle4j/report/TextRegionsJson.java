package io.github.eagle4j.report;

import io.github.eagle4j.ExplainMethod;
import io.github.eagle4j.text.TextExplanation;
import io.github.eagle4j.text.TextSpan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The text-region fields of {@code explanation.json} (docs/text.md): {@code textRegions} (the spans: id, text, role,
 * message, character and token ranges, attribution score), {@code textOrder} (span ids, most important first) and
 * {@code textSearch} (the prompt the spans index into, mask, mode, search, curves over k = 1..M, AUCs, the full- and empty-prompt probabilities,
 * counts). Added to the explanation's top level beside the image fields.
 */
public final class TextRegionsJson {
    /** Field names, for readers. */
    public static final String REGIONS = "textRegions";
    public static final String ORDER = "textOrder";
    public static final String SEARCH = "textSearch";

    private TextRegionsJson() {
    }

    /** The three top-level fields of a text explanation, in order. */
    public static Map<String, Object> fields(TextExplanation e) {
        List<Map<String, Object>> spans = new ArrayList<>();
        for (TextSpan s : e.spans()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", s.id());
            m.put("text", s.text());
            m.put("role", s.role().jsonName());
            m.put("message", s.message());
            m.put("charStart", s.charStart());
            m.put("charEnd", s.charEnd());
            m.put("tokenStart", s.tokenStart());
            m.put("tokenEnd", s.tokenEnd());
            m.put("score", e.spanScores()[s.id()]);
            spans.add(m);
        }
        Map<String, Object> search = new LinkedHashMap<>();
        search.put("prompt", e.prompt());
        search.put("mode", e.mode().cliName());
        search.put("mask", e.mask().cliName());
        search.put("search", e.search().name().toLowerCase(java.util.Locale.ROOT));
        search.put("insertionCurve", e.insertionCurve());
        search.put("deletionCurve", e.deletionCurve());
        search.put("tokenShareCurve", e.tokenShareCurve());
        search.put("insertionTokenCurves", e.insertionTokenCurves());
        search.put("deletionTokenCurves", e.deletionTokenCurves());
        search.put("fullPromptProbs", e.fullPromptProbs());
        search.put("emptyPromptProbs", e.emptyPromptProbs());
        search.put("insertionAuc", e.insertionAuc());
        search.put("deletionAuc", e.deletionAuc());
        search.put("forwardPasses", e.forwardPasses());
        search.put("scorerCalls", e.scorerCalls());
        search.put("elapsedMs", e.elapsedMs());
        search.put("exactness", e.exactness().jsonName());
        search.put("provenance", ExplanationJson.provenance(e.provenance(), ExplainMethod.EAGLE.cliName(), e.search().cliName()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(REGIONS, spans);
        out.put(ORDER, e.order());
        out.put(SEARCH, search);
        return out;
    }
}
