package io.github.eagle4j.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * The report's view of text regions (docs/text.md), present when {@code explanation.json} has
 * {@code textRegions}: the prompt with each span coloured by its attribution score, and a slider over the span
 * order (step k marks the first k spans and reads out the insertion and deletion probabilities at k).
 */
final class TextRegionsSection {
    static final String SCRIPT = HtmlPage.resource("text-regions.js");

    private TextRegionsSection() {
    }

    /** Whether the explanation has text regions to show. */
    static boolean present(ExplanationView v) {
        return v.json().path(TextRegionsJson.REGIONS).isArray() && v.json().path(TextRegionsJson.ORDER).isArray()
                && v.json().path(TextRegionsJson.SEARCH).isObject();
    }

    /** The section's markup; the prompt's characters outside every span are written plain. */
    static String html(ExplanationView v) {
        JsonNode spans = v.json().get(TextRegionsJson.REGIONS);
        JsonNode search = v.json().get(TextRegionsJson.SEARCH);
        int m = spans.size();
        double max = 1e-12;
        for (JsonNode s : spans) {
            max = Math.max(max, Math.abs(s.path("score").asDouble()));
        }
        String prompt = search.path("prompt").asText(v.prompt());
        // a conversation (docs/text.md) lists every message, the prompt last; spans index into it by "message"
        JsonNode conversation = v.json().path("conversation");
        List<String> roles = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        if (conversation.isArray() && !conversation.isEmpty()) {
            for (JsonNode message : conversation) {
                roles.add(message.path("role").asText());
                texts.add(message.path("text").asText());
            }
        } else {
            roles.add("user");
            texts.add(prompt);
        }
        StringBuilder p = new StringBuilder();
        for (int msg = 0; msg < texts.size(); msg++) {
            String text = texts.get(msg);
            if (texts.size() > 1) {
                p.append(msg > 0 ? "<br>" : "").append("<b class=\"trole\">").append(Html.text(roles.get(msg))).append(":</b> ");
            }
            int at = 0;
            for (JsonNode s : spans) {
                if (s.path("message").asInt() != msg) {
                    continue;
                }
                int cs = Math.max(at, Math.min(text.length(), s.path("charStart").asInt()));
                int ce = Math.max(cs, Math.min(text.length(), s.path("charEnd").asInt()));
                p.append(Html.text(text.substring(at, cs)));
                double w = s.path("score").asDouble() / max;
                p.append("<span class=\"tspan\" data-id=\"").append(s.path("id").asInt()).append("\" style=\"background:rgba(")
                        .append(w >= 0 ? "194,65,12," : "37,99,235,").append(Html.num(Math.min(1, Math.abs(w)) * 0.85, 3))
                        .append(")\" title=\"score ").append(Html.num(s.path("score").asDouble(), 4)).append("\">")
                        .append(Html.text(text.substring(cs, ce))).append("</span>");
                at = ce;
            }
            p.append(Html.text(text.substring(at)));
        }
        StringBuilder b = new StringBuilder();
        b.append("<section class=\"card\" id=\"text-regions\">\n<h2>What the answer rests on in the prompt</h2>\n")
                .append("<p class=\"hint\">The prompt divided into ").append(m).append(" spans (")
                .append(Html.text(search.path("mode").asText())).append("), ordered by the same search with the image intact; ")
                .append("removed spans were hidden with <code>").append(Html.text(search.path("mask").asText()))
                .append("</code>. Colour: attribution (orange helps the explained tokens). Step <i>k</i> marks the first <i>k</i> spans.</p>\n")
                .append("<p class=\"prompt text-prompt\" id=\"text-prompt\">").append(p).append("</p>\n")
                .append("<div class=\"controls\"><input type=\"range\" id=\"text-step\" min=\"0\" max=\"").append(m)
                .append("\" step=\"1\" value=\"1\" aria-label=\"step k: number of spans placed\">")
                .append("<output id=\"text-step-label\" for=\"text-step\">1 / ").append(m).append("</output></div>\n")
                .append("<p id=\"text-readout\" class=\"readout\" aria-live=\"polite\"></p>\n")
                .append("<p class=\"muted\">Insertion AUC <b>").append(Html.num(search.path("insertionAuc").asDouble(), 3))
                .append("</b> · deletion AUC <b>").append(Html.num(search.path("deletionAuc").asDouble(), 3))
                .append("</b> · ").append(search.path("forwardPasses").asLong()).append(" inputs scored</p>\n");
        evidence(b, v.json());
        b.append("</section>\n");
        return b.toString();
    }

    /**
     * The joint search's evidence split of the explained tokens' mean (docs/text.md), when present: image, prompt and
     * language prior, and with several images or a video each image's (or group of frames') part of the image share.
     */
    private static void evidence(StringBuilder b, JsonNode json) {
        JsonNode split = json.path("answerEvidence");
        if (!split.isObject()) {
            return;
        }
        b.append("<p id=\"evidence-split\">Evidence split of the explained tokens' mean probability ")
                .append(Html.num(split.path("full").asDouble(), 3)).append(": image <b>").append(Html.num(split.path("image").asDouble(), 3))
                .append("</b> · prompt <b>").append(Html.num(split.path("prompt").asDouble(), 3)).append("</b> · language prior <b>")
                .append(Html.num(split.path("neither").asDouble(), 3)).append("</b> (").append(Html.text(split.path("label").asText()))
                .append(").</p>\n");
        JsonNode images = split.path(JointRegionsJson.IMAGES);
        JsonNode groups = json.path("jointSearch").path("imageGroups");
        if (!images.isArray() || groups.size() != images.size()) {
            return;
        }
        boolean video = json.path("frames").has("video");
        b.append("<p id=\"evidence-images\">The image share by ").append(video ? "frame" : "image").append(": ");
        for (int g = 0; g < images.size(); g++) {
            List<String> names = new ArrayList<>();
            groups.get(g).forEach(f -> names.add(Integer.toString(f.asInt() + 1)));
            b.append(g > 0 ? " · " : "").append(video ? "frame" : "image").append(names.size() > 1 ? "s " : " ")
                    .append(String.join("+", names)).append(" <b>").append(Html.num(images.get(g).asDouble(), 3)).append("</b>");
        }
        b.append(json.path("jointSearch").path("imageShares").path("exact").asBoolean(true) ? "" : " (estimated from sampled orders)")
                .append(".</p>\n");
    }

    /** The data the section's script reads. */
    static JsonNode data(ExplanationView v) {
        ObjectNode d = JsonNodeFactory.instance.objectNode();
        JsonNode search = v.json().get(TextRegionsJson.SEARCH);
        d.set("order", v.json().get(TextRegionsJson.ORDER));
        d.set("insertion", search.get("insertionCurve"));
        d.set("deletion", search.get("deletionCurve"));
        d.put("full", mean(search.get("fullPromptProbs")));
        d.put("empty", mean(search.get("emptyPromptProbs")));
        var texts = d.putArray("texts");
        v.json().get(TextRegionsJson.REGIONS).forEach(s -> texts.add(s.path("text").asText().strip()));
        return d;
    }

    private static double mean(JsonNode a) {
        double s = 0;
        for (JsonNode x : a) {
            s += x.asDouble();
        }
        return a.size() == 0 ? 0 : s / a.size();
    }
}
