package io.github.eagle4j.evaluation.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.eagle4j.Version;
import io.github.eagle4j.diagnosis.Correction;
import io.github.eagle4j.diagnosis.CorrectionStats;
import io.github.eagle4j.evaluation.Baselines;
import io.github.eagle4j.evaluation.ItemScores;
import io.github.eagle4j.evaluation.MeanCurves;
import io.github.eagle4j.evaluation.MethodSummary;
import io.github.eagle4j.evaluation.output.DiagnosisFiles;
import io.github.eagle4j.report.ExplanationJson;
import io.github.eagle4j.text.EvidenceSplit;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code summary.json} and the printed table of {@code eagle evaluate}, computed from the items' {@code result.json}
 * files in manifest order — never from memory — so a resumed, sharded or merged run gives the same bits as an
 * uninterrupted one. Everything that depends on the clock is under {@code timing}.
 */
public final class EvaluationSummary {
    private EvaluationSummary() {
    }

    /**
     * The summary.
     *
     * @param settings the run's settings ({@code evaluate.json})
     * @param results  result trees of the finished items, in manifest order
     * @param shard    e.g. {@code 1/2}, or {@code null} for a whole or merged run
     * @param runMs    this run's wall time
     */
    public static ObjectNode compute(ObjectNode settings, Map<String, JsonNode> results, String shard, long runMs) {
        return compute(settings, results, List.of(), shard, runMs);
    }

    /**
     * {@code frames} when some items have several images or a video (docs/frames.md): how many, the most images in one
     * item, how many items have their top region in image 0, 1, ..., and how many are videos
     */
    private static void putFrames(ObjectNode root, Map<String, JsonNode> results) {
        int items = 0;
        int videos = 0;
        int most = 0;
        java.util.TreeMap<Integer, Integer> top = new java.util.TreeMap<>();
        for (JsonNode r : results.values()) {
            JsonNode f = r.get("frames");
            if (f == null || !f.isObject()) {
                continue;
            }
            items++;
            videos += f.has("video") ? 1 : 0;
            most = Math.max(most, f.get("count").asInt());
            top.merge(f.get("topRegionImage").asInt(), 1, Integer::sum);
        }
        if (items == 0) {
            return;
        }
        ObjectNode f = root.putObject("frames");
        f.put("items", items);
        f.put("maxImages", most);
        if (videos > 0) {
            f.put("videos", videos);
        }
        ObjectNode t = f.putObject("topRegionImage");
        top.forEach((k, v) -> t.put(Integer.toString(k), v));
    }

    /**
     * The summary, with the bad items a run skipped.
     *
     * @param settings the run's settings ({@code evaluate.json})
     * @param results  result trees of the finished items, in manifest order
     * @param badItems {@code bad.json} records (id, line, error) of skipped items, in manifest order
     * @param shard    e.g. {@code 1/2}, or {@code null} for a whole or merged run
     * @param runMs    this run's wall time
     */
    public static ObjectNode compute(ObjectNode settings, Map<String, JsonNode> results, List<JsonNode> badItems,
                                     String shard, long runMs) {
        ObjectNode root = DiagnosisFiles.MAPPER.createObjectNode();
        root.put("schemaVersion", ExplanationJson.SCHEMA_VERSION);
        root.put("tool", "eagle4j");
        root.put("version", Version.get());
        JsonNode manifest = settings.get("manifest");
        List<String> ids = new ArrayList<>();
        manifest.get("ids").forEach(n -> ids.add(n.asText()));
        ObjectNode m = root.putObject("manifest");
        m.put("file", manifest.get("file").asText());
        m.put("sha256", manifest.get("sha256").asText());
        m.put("items", ids.size());
        if (shard != null) {
            root.put("shard", shard);
        }
        root.put("evaluated", results.size());
        ArrayNode missing = root.putArray("missing");
        for (String id : ids) {
            if (!results.containsKey(id)) {
                missing.add(id);
            }
        }
        ArrayNode bad = root.putArray("badItems");
        badItems.forEach(bad::add);
        root.put("complete", missing.isEmpty()); // a skipped bad item is missing too
        ObjectNode s = settings.deepCopy();
        s.remove("manifest");
        root.set("settings", s);
        root.put("protocol", Baselines.PROTOCOL);

        List<String> methods = new ArrayList<>();
        methods.add("eagle");
        settings.get("compare").forEach(n -> methods.add(n.asText()));
        ObjectNode methodsNode = root.putObject("methods");
        ObjectNode methodsMs = DiagnosisFiles.MAPPER.createObjectNode();
        String reference = referenceMethod(settings, methods);
        if (reference == null) {
            root.putNull("reference");
        } else {
            root.put("reference", reference);
        }
        long passes = 0;
        long computed = 0;
        for (String method : methods) {
            List<ItemScores> scores = new ArrayList<>();
            for (JsonNode r : results.values()) {
                JsonNode mm = r.get("methods").get(method);
                if (mm == null) {
                    throw new io.github.eagle4j.EagleException("item " + r.get("id").asText() + " has no '" + method
                            + "' result; it was made with other settings");
                }
                scores.add(itemScores(mm));
            }
            MethodSummary ms = MethodSummary.of(scores);
            passes += ms.forwardPasses();
            for (JsonNode r : results.values()) {
                JsonNode mm = r.get("methods").get(method);
                computed += mm.has("imagesComputed") ? mm.get("imagesComputed").asLong() : mm.get("forwardPasses").asLong();
            }
            ObjectNode mj = methodJson(ms);
            putNumber(mj, "imagesPerItem", ms.items() == 0 ? Double.NaN : (double) ms.forwardPasses() / ms.items());
            putVersusReference(mj, method, reference, results.values());
            putPerTokenMeans(mj, method, results.values());
            methodsMs.put(method, putMethodExtras(mj, method, results.values()));
            methodsNode.set(method, mj);
        }

        List<Correction> corrections = new ArrayList<>();
        int labelled = 0;
        for (JsonNode r : results.values()) {
            JsonNode d = r.get("diagnosis");
            if (d == null || d.isNull()) {
                continue;
            }
            labelled++;
            if (!d.get("hallucinated").asBoolean()) {
                continue;
            }
            int[] culprits = new int[d.get("culpritRegions").size()];
            for (int i = 0; i < culprits.length; i++) {
                culprits[i] = d.get("culpritRegions").get(i).asInt();
            }
            corrections.add(new Correction(d.get("correctingK").asInt(), d.get("mcr").asDouble(), culprits,
                    d.get("removedArea").asDouble()));
        }
        if (labelled == 0) {
            root.putNull("hallucination");
        } else {
            CorrectionStats cs = CorrectionStats.of(corrections);
            ObjectNode h = root.putObject("hallucination");
            h.put("labelled", labelled);
            h.put("hallucinated", cs.samples());
            h.put("corrected", cs.corrected());
            h.put("neverCorrected", cs.neverCorrected());
            h.put("withinBudget", cs.withinBudget());
            h.put("budget", cs.budget());
            putNumber(h, "amcr", cs.amcr());
            putNumber(h, "csrHonest", cs.csrHonest());
            putNumber(h, "csrAuthors", cs.csrAuthors());
            h.put("note", "AMCR over all hallucinated items (never corrected = 1); CSR@10% honest = within budget / "
                    + "hallucinated; authors' = within budget / corrected at some k (docs/method.md §10, §15.7)");
        }
        putTextRegions(root, results.values());
        long generations = 0;
        long itemsMs = 0;
        for (JsonNode r : results.values()) {
            generations += r.get("generations").asLong();
            itemsMs += r.get("elapsedMs").asLong();
            // the text and joint searches score inputs of their own, on top of the methods' images
            for (String search : new String[]{"text", "joint"}) {
                long own = r.path(search).path("forwardPasses").asLong(0);
                passes += own;
                computed += own;
            }
        }
        putFrames(root, results);
        ObjectNode calls = root.putObject("modelCalls");
        calls.put("forwardPasses", passes);
        calls.put("imagesComputed", computed);
        calls.put("generations", generations);
        ObjectNode timing = root.putObject("timing");
        timing.put("itemsMs", itemsMs);
        timing.put("runMs", runMs);
        timing.set("methodsMs", methodsMs);
        return root;
    }

    /** An item below this share of the reference's insertion AUC on the same item is in the method's tail. */
    public static final double TAIL_SHARE = 0.95;

    /**
     * The method the others are measured against: {@code full} when it was compared, else {@code eagle} when the
     * run's own search was full greedy without early stop or budget; {@code null} when neither.
     */
    static String referenceMethod(JsonNode settings, List<String> methods) {
        if (methods.contains("full")) {
            return "full";
        }
        JsonNode search = settings.path("search");
        boolean plainFull = "full".equals(search.path("search").asText(null))
                && (search.path("earlyStop").isNull() || search.path("earlyStop").isMissingNode()
                || (search.path("earlyStop").isBoolean() && !search.path("earlyStop").asBoolean()))
                && (search.path("budget").isNull() || search.path("budget").isMissingNode())
                && !"baseline".equals(settings.path("method").asText(""));
        return plainFull ? "eagle" : null;
    }

    /**
     * {@code vsReference} of a method: over the items, its mean insertion and deletion AUC and its images divided by
     * the reference's (ratios of the means), and its tail: the items whose insertion AUC is below
     * {@value #TAIL_SHARE} of the reference's on the same item. Null without a reference.
     */
    private static void putVersusReference(ObjectNode out, String method, String reference, Iterable<JsonNode> results) {
        if (reference == null) {
            out.putNull("vsReference");
            return;
        }
        int n = 0;
        int tail = 0;
        double ins = 0;
        double insRef = 0;
        double del = 0;
        double delRef = 0;
        double images = 0;
        double imagesRef = 0;
        for (JsonNode r : results) {
            JsonNode m = r.get("methods").get(method);
            JsonNode f = r.get("methods").get(reference);
            if (m == null || f == null) {
                continue;
            }
            n++;
            double i = m.get("insertionAuc").asDouble();
            double fi = f.get("insertionAuc").asDouble();
            ins += i;
            insRef += fi;
            del += m.get("deletionAuc").asDouble();
            delRef += f.get("deletionAuc").asDouble();
            images += m.get("forwardPasses").asDouble();
            imagesRef += f.get("forwardPasses").asDouble();
            if (i < TAIL_SHARE * fi) {
                tail++;
            }
        }
        ObjectNode v = out.putObject("vsReference");
        v.put("reference", reference);
        v.put("items", n);
        putNumber(v, "insertionAucRatio", insRef == 0 ? Double.NaN : ins / insRef);
        putNumber(v, "deletionAucRatio", delRef == 0 ? Double.NaN : del / delRef);
        putNumber(v, "imagesRatio", imagesRef == 0 ? Double.NaN : images / imagesRef);
        v.put("tailItems", tail);
        putNumber(v, "tailShare", n == 0 ? Double.NaN : (double) tail / n);
    }

    /**
     * {@code perToken} of a method whose items were explained with {@code --each-token}: the targets explained on
     * their own, over all items, and the means of their own insertion and deletion AUCs; absent otherwise.
     */
    private static void putPerTokenMeans(ObjectNode out, String method, Iterable<JsonNode> results) {
        int items = 0;
        int tokens = 0;
        double ins = 0;
        double del = 0;
        for (JsonNode r : results) {
            JsonNode p = r.get("methods").get(method).get("perToken");
            if (p == null || !p.isArray()) {
                continue;
            }
            items++;
            for (JsonNode t : p) {
                tokens++;
                ins += t.get("insertionAuc").asDouble();
                del += t.get("deletionAuc").asDouble();
            }
        }
        if (items == 0) {
            return;
        }
        ObjectNode n = out.putObject("perToken");
        n.put("items", items);
        n.put("tokens", tokens);
        putNumber(n, "insertionAuc", tokens == 0 ? Double.NaN : ins / tokens);
        putNumber(n, "deletionAuc", tokens == 0 ? Double.NaN : del / tokens);
    }

    /**
     * Per method, beyond the faithfulness means: AMCR / CSR@10% along its own order over the hallucinated items (when
     * any has a correction), and its mean curves with their spread (when the items recorded curves).
     *
     * @return the method's wall time summed over the items (clock-dependent: it goes under {@code timing})
     */
    private static long putMethodExtras(ObjectNode out, String method, Iterable<JsonNode> results) {
        long ms = 0;
        List<Correction> corrections = new ArrayList<>();
        List<double[]> ins = new ArrayList<>();
        List<double[]> del = new ArrayList<>();
        for (JsonNode r : results) {
            JsonNode m = r.get("methods").get(method);
            ms += m.path("elapsedMs").asLong(0);
            JsonNode d = r.get("diagnosis");
            if (d != null && !d.isNull() && d.path("hallucinated").asBoolean()) {
                JsonNode c = m.get("correction");
                if (c == null && method.equals("eagle")) {
                    c = d; // results written before per-method corrections keep EAGLE's in the diagnosis
                }
                if (c != null) {
                    corrections.add(new Correction(c.get("correctingK").asInt(), c.get("mcr").asDouble(), new int[0],
                            c.get("removedArea").asDouble()));
                }
            }
            JsonNode curves = m.get("curves");
            if (curves != null) {
                ins.add(doubles(curves.get("insertion")));
                del.add(doubles(curves.get("deletion")));
            }
        }
        if (corrections.isEmpty()) {
            out.putNull("hallucination");
        } else {
            CorrectionStats cs = CorrectionStats.of(corrections);
            ObjectNode h = out.putObject("hallucination");
            h.put("hallucinated", cs.samples());
            h.put("corrected", cs.corrected());
            h.put("withinBudget", cs.withinBudget());
            putNumber(h, "amcr", cs.amcr());
            putNumber(h, "csrHonest", cs.csrHonest());
            putNumber(h, "csrAuthors", cs.csrAuthors());
        }
        if (!ins.isEmpty()) {
            ObjectNode c = out.putObject("meanCurves");
            putArray(c, "area", MeanCurves.GRID);
            MeanCurves i = MeanCurves.of(ins);
            MeanCurves d = MeanCurves.of(del);
            putArray(c, "insertionMean", i.mean());
            putArray(c, "insertionSd", i.sd());
            putArray(c, "deletionMean", d.mean());
            putArray(c, "deletionSd", d.sd());
        }
        return ms;
    }

    private static double[] doubles(JsonNode a) {
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asDouble();
        }
        return out;
    }

    private static void putArray(ObjectNode n, String field, double[] values) {
        ArrayNode a = n.putArray(field);
        for (double v : values) {
            a.add(v);
        }
    }

    private static ItemScores itemScores(JsonNode m) {
        JsonNode s = m.get("sensitive");
        boolean sens = s != null && !s.isNull();
        JsonNode pg = m.get("pointingGame");
        return new ItemScores(m.get("insertionAuc").asDouble(), m.get("deletionAuc").asDouble(),
                m.get("highestConfidence").asDouble(),
                sens ? s.get("insertionAuc").asDouble() : null, sens ? s.get("deletionAuc").asDouble() : null,
                sens ? s.get("highestConfidence").asDouble() : null,
                bool(pg, "box"), bool(pg, "mask"), m.get("forwardPasses").asLong());
    }

    private static Boolean bool(JsonNode pg, String field) {
        if (pg == null || pg.get(field) == null || pg.get(field).isNull()) {
            return null;
        }
        return pg.get(field).asBoolean();
    }

    private static ObjectNode methodJson(MethodSummary ms) {
        ObjectNode n = DiagnosisFiles.MAPPER.createObjectNode();
        n.put("items", ms.items());
        putNumber(n, "insertionAuc", ms.insertionAuc());
        putNumber(n, "deletionAuc", ms.deletionAuc());
        putNumber(n, "highestConfidence", ms.highestConfidence());
        ObjectNode s = n.putObject("sensitive");
        s.put("items", ms.sensitiveItems());
        putNumber(s, "insertionAuc", ms.sensitiveInsertionAuc());
        putNumber(s, "deletionAuc", ms.sensitiveDeletionAuc());
        putNumber(s, "highestConfidence", ms.sensitiveHighestConfidence());
        ObjectNode pg = n.putObject("pointingGame");
        pg.putObject("box").put("items", ms.boxItems()).put("hits", ms.boxHits());
        putNumber((ObjectNode) pg.get("box"), "rate", ms.pointingBox());
        pg.putObject("mask").put("items", ms.maskItems()).put("hits", ms.maskHits());
        putNumber((ObjectNode) pg.get("mask"), "rate", ms.pointingMask());
        n.put("forwardPasses", ms.forwardPasses());
        return n;
    }

    /**
     * {@code textRegions}: over the items with text regions, the mean insertion and deletion AUC of the text-only and
     * the joint explanations, the mean evidence split of the answer (image, prompt, prior; docs/text.md) and how many
     * answers got each label; {@code null} when no item asked for text regions.
     */
    static void putTextRegions(ObjectNode root, Iterable<JsonNode> results) {
        int textItems = 0;
        double textIns = 0;
        double textDel = 0;
        int jointItems = 0;
        double jointIns = 0;
        double jointDel = 0;
        double image = 0;
        double prompt = 0;
        double prior = 0;
        Map<String, Integer> labels = new java.util.TreeMap<>();
        for (String label : List.of(EvidenceSplit.PERCEPTION, EvidenceSplit.PROMPT, EvidenceSplit.LANGUAGE_PRIOR, EvidenceSplit.MIXED)) {
            labels.put(label, 0);
        }
        for (JsonNode r : results) {
            JsonNode t = r.path("text");
            if (t.isObject()) {
                textItems++;
                textIns += t.path("insertionAuc").asDouble();
                textDel += t.path("deletionAuc").asDouble();
            }
            JsonNode j = r.path("joint");
            if (j.isObject()) {
                jointItems++;
                jointIns += j.path("insertionAuc").asDouble();
                jointDel += j.path("deletionAuc").asDouble();
                JsonNode a = j.path("answerEvidence");
                image += a.path("image").asDouble();
                prompt += a.path("prompt").asDouble();
                prior += a.path("prior").asDouble();
                labels.merge(a.path("label").asText(), 1, Integer::sum);
            }
        }
        if (textItems == 0) {
            root.putNull("textRegions");
            return;
        }
        ObjectNode out = root.putObject("textRegions");
        ObjectNode text = out.putObject("text");
        text.put("items", textItems);
        text.put("insertionAuc", textIns / textItems);
        text.put("deletionAuc", textDel / textItems);
        if (jointItems == 0) {
            out.putNull("joint");
            return;
        }
        ObjectNode joint = out.putObject("joint");
        joint.put("items", jointItems);
        joint.put("insertionAuc", jointIns / jointItems);
        joint.put("deletionAuc", jointDel / jointItems);
        ObjectNode split = joint.putObject("evidence");
        split.put("image", image / jointItems);
        split.put("prompt", prompt / jointItems);
        split.put("prior", prior / jointItems);
        ObjectNode counts = joint.putObject("labels");
        labels.forEach(counts::put);
    }

    /** NaN (nothing to average) is written as null. */
    private static void putNumber(ObjectNode n, String field, double v) {
        if (Double.isNaN(v)) {
            n.putNull(field);
        } else {
            n.put(field, v);
        }
    }

    /** The table printed at the end of a run. */
    public static String table(JsonNode summary) {
        StringBuilder sb = new StringBuilder();
        JsonNode manifest = summary.get("manifest");
        JsonNode settings = summary.get("settings");
        sb.append(String.format(Locale.ROOT, "%d of %d items evaluated (%s%s); regions %s, search %s, model %s%n",
                summary.get("evaluated").asInt(), manifest.get("items").asInt(), manifest.get("file").asText(),
                summary.has("shard") ? ", shard " + summary.get("shard").asText() : "",
                settings.get("regions").asText(), settings.get("search").get("search").asText(),
                settings.get("model").asText()));
        boolean perMethodHallucination = false;
        for (JsonNode m : summary.get("methods")) {
            perMethodHallucination |= m.has("hallucination") && !m.get("hallucination").isNull();
        }
        sb.append(String.format(Locale.ROOT, "%-10s %5s %8s %8s %8s | %8s %8s %8s %5s | %7s %7s |%s %9s %8s%n", "method",
                "items", "ins AUC", "del AUC", "highest", "sens ins", "sens del", "sens hi", "sens#", "PG box",
                "PG mask", perMethodHallucination ? String.format(Locale.ROOT, " %7s %7s |", "AMCR", "CSR@10") : "",
                "images", "time"));
        final boolean withHallucination = perMethodHallucination;
        JsonNode methodsMs = summary.path("timing").path("methodsMs");
        summary.get("methods").properties().forEach(e -> {
            JsonNode m = e.getValue();
            JsonNode s = m.get("sensitive");
            JsonNode pg = m.get("pointingGame");
            JsonNode h = m.path("hallucination");
            String hall = withHallucination ? String.format(Locale.ROOT, " %7s %7s |", num(h.get("amcr")),
                    pct1(h.get("csrHonest"))) : "";
            sb.append(String.format(Locale.ROOT, "%-10s %5d %8s %8s %8s | %8s %8s %8s %5d | %7s %7s |%s %9d %8s%n",
                    e.getKey(), m.get("items").asInt(), num(m.get("insertionAuc")), num(m.get("deletionAuc")),
                    num(m.get("highestConfidence")), num(s.get("insertionAuc")), num(s.get("deletionAuc")),
                    num(s.get("highestConfidence")), s.get("items").asInt(), num(pg.get("box").get("rate")),
                    num(pg.get("mask").get("rate")), hall, m.get("forwardPasses").asLong(),
                    methodsMs.has(e.getKey()) ? clock(methodsMs.get(e.getKey()).asLong() / 1000.0) : "-"));
        });
        sb.append("(ins AUC and highest: higher is better; del AUC: lower is better; PG: pointing-game hit rate; "
                + "sens: over targets whose probability gains > 0.2 from the image"
                + (withHallucination ? "; AMCR, CSR@10: each method's own order scanned for the minimal correction, "
                + "CSR with the honest denominator" : "") + "; time: the method's wall time over all items)\n");
        JsonNode reference = summary.get("reference");
        if (reference != null && !reference.isNull() && summary.get("methods").size() > 1) {
            sb.append(String.format(Locale.ROOT, "against %s (ratios of the means over the items; tail: items whose "
                    + "insertion AUC is below %.0f %% of %s's on the same item)%n", reference.asText(), 100 * TAIL_SHARE,
                    reference.asText()));
            sb.append(String.format(Locale.ROOT, "%-10s %9s %9s %9s %9s %14s%n", "method", "img/item", "ins ratio",
                    "del ratio", "img ratio", "tail"));
            summary.get("methods").properties().forEach(e -> {
                JsonNode m = e.getValue();
                JsonNode v = m.path("vsReference");
                sb.append(String.format(Locale.ROOT, "%-10s %9s %9s %9s %9s %14s%n", e.getKey(),
                        m.path("imagesPerItem").isNumber() ? String.format(Locale.ROOT, "%.0f", m.get("imagesPerItem").asDouble()) : "-",
                        num(v.get("insertionAucRatio")), num(v.get("deletionAucRatio")), num(v.get("imagesRatio")),
                        v.path("tailShare").isNumber() ? String.format(Locale.ROOT, "%.1f %% (%d/%d)",
                                100 * v.get("tailShare").asDouble(), v.get("tailItems").asInt(), v.get("items").asInt())
                                : "-"));
            });
        }
        summary.get("methods").properties().forEach(e -> {
            JsonNode p = e.getValue().get("perToken");
            if (p != null && p.isObject()) {
                sb.append(String.format(Locale.ROOT, "%s per token (--each-token): %d tokens over %d items, each on its "
                                + "own order: mean ins AUC %s, del AUC %s%n", e.getKey(), p.get("tokens").asInt(),
                        p.get("items").asInt(), num(p.get("insertionAuc")), num(p.get("deletionAuc"))));
            }
        });
        JsonNode tr = summary.get("textRegions");
        if (tr != null && tr.isObject()) {
            JsonNode t = tr.get("text");
            sb.append(String.format(Locale.ROOT, "text regions: %d items, text-only mean ins AUC %s, del AUC %s", t.get("items").asInt(),
                    num(t.get("insertionAuc")), num(t.get("deletionAuc"))));
            JsonNode j = tr.get("joint");
            if (j != null && j.isObject()) {
                JsonNode ev = j.get("evidence");
                JsonNode lb = j.get("labels");
                sb.append(String.format(Locale.ROOT, "; joint (%d items) ins AUC %s, del AUC %s; answer evidence image %s, "
                                + "prompt %s, prior %s; labels perception %d, prompt %d, language-prior %d, mixed %d",
                        j.get("items").asInt(), num(j.get("insertionAuc")), num(j.get("deletionAuc")), num(ev.get("image")),
                        num(ev.get("prompt")), num(ev.get("prior")), lb.get("perception").asInt(), lb.get("prompt").asInt(),
                        lb.get("language-prior").asInt(), lb.path("mixed").asInt()));
            }
            sb.append('\n');
        }
        JsonNode h = summary.get("hallucination");
        if (h != null && !h.isNull()) {
            int n = h.get("hallucinated").asInt();
            sb.append(String.format(Locale.ROOT, "hallucination: %d labelled, %d answered wrongly; AMCR %s; CSR@10%% %s honest "
                            + "(%d/%d), %s authors' (%d/%d); never corrected %d%n",
                    h.get("labelled").asInt(), n, num(h.get("amcr")), pct(h.get("csrHonest")), h.get("withinBudget").asInt(),
                    n, pct(h.get("csrAuthors")), h.get("withinBudget").asInt(), h.get("corrected").asInt(),
                    h.get("neverCorrected").asInt()));
        }
        JsonNode calls = summary.get("modelCalls");
        JsonNode timing = summary.get("timing");
        long computedImages = calls.path("imagesComputed").asLong(calls.get("forwardPasses").asLong());
        sb.append(String.format(Locale.ROOT, "model calls: %d images scored%s, %d answers generated; wall time %s "
                        + "(items %s)%n", calls.get("forwardPasses").asLong(),
                computedImages < calls.get("forwardPasses").asLong() ? String.format(Locale.ROOT,
                        " (%d computed, the rest shared between the compared searches)", computedImages) : "",
                calls.get("generations").asLong(),
                clock(timing.get("runMs").asLong() / 1000.0),
                clock(timing.get("itemsMs").asLong() / 1000.0)));
        if (summary.get("methods").size() > 1) {
            sb.append("protocol: ").append(summary.get("protocol").asText()).append('\n');
        }
        if (!summary.get("complete").asBoolean()) {
            sb.append(String.format(Locale.ROOT, "incomplete: %d item(s) missing%n", summary.get("missing").size()));
        }
        JsonNode bad = summary.get("badItems");
        if (bad != null && !bad.isEmpty()) {
            sb.append(String.format(Locale.ROOT, "bad items skipped: %d (see badItems in summary.json), first: %s%n",
                    bad.size(), bad.get(0).path("error").asText()));
        }
        return sb.toString();
    }

    /** m:ss or h:mm:ss. */
    private static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    private static String num(JsonNode n) {
        return n == null || n.isNull() ? "-" : String.format(Locale.ROOT, "%.4f", n.asDouble());
    }

    private static String pct1(JsonNode n) {
        return n == null || n.isNull() ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * n.asDouble());
    }

    private static String pct(JsonNode n) {
        return n == null || n.isNull() ? "-" : String.format(Locale.ROOT, "%.2f %%", 100 * n.asDouble());
    }
}
