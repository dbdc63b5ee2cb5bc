package io.github.eagle4j.onnx.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.onnx.hub.ModelDirectory;

import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A model's Jinja chat template, rendered with Jinjava configured the way transformers configures Jinja2:
 * {@code trim_blocks}, {@code lstrip_blocks}, one trailing newline of the template dropped
 * ({@code keep_trailing_newline=False}), {@code raise_exception} and {@code strftime_now} available, and the
 * tokenizer's special tokens ({@code bos_token}, {@code eos_token}, …) as variables.
 *
 * <p>Jinjava collects errors instead of throwing them; every error, {@code raise_exception} included, is
 * turned into an {@link InvalidInputException} naming the template's file. Python string methods in
 * method-call syntax ({@code .startswith()}, {@code .strip()} with arguments, …) are not available.
 *
 * <p>Thread-safe.
 */
public final class ChatTemplate {
    private final String source;
    private final String origin;
    private final Map<String, Object> specialTokens;
    private final Jinjava jinjava;

    /**
     * @param source        the template text
     * @param origin        where it came from, for error messages (e.g. {@code chat_template.jinja})
     * @param specialTokens variables such as {@code bos_token} → {@code <s>}
     */
    public ChatTemplate(String source, String origin, Map<String, String> specialTokens) {
        String s = source.replace("\r\n", "\n").replace('\r', '\n');
        if (s.endsWith("\n")) {
            s = s.substring(0, s.length() - 1);
        }
        this.source = s;
        this.origin = origin;
        this.specialTokens = Map.copyOf(specialTokens);
        this.jinjava = new Jinjava(JinjavaConfig.newBuilder()
                .withTrimBlocks(true)
                .withLstripBlocks(true)
                .withLegacyOverrides(LegacyOverrides.newBuilder()
                        .withParseWhitespaceControlStrictly(true)
                        .withUseTrimmingForNotesAndExpressions(true)
                        .withUseSnakeCasePropertyNaming(true)
                        .build())
                .build());
        jinjava.getGlobalContext().registerFunction(
                new ELFunctionDefinition("", "raise_exception", ChatTemplate.class, "raiseException", String.class));
        jinjava.getGlobalContext().registerFunction(
                new ELFunctionDefinition("", "strftime_now", ChatTemplate.class, "strftimeNow", String.class));
    }

    /**
     * The model's template: {@code chat_template.jinja}, else {@code chat_template.json}, else
     * {@code tokenizer_config.json → chat_template} (a string, or the entry named {@code default}).
     */
    public static ChatTemplate read(ModelDirectory dir) {
        JsonNode tc = dir.json(ModelDirectory.TOKENIZER_CONFIG);
        Map<String, String> special = new HashMap<>();
        for (String key : List.of("bos_token", "eos_token", "unk_token", "pad_token", "sep_token", "cls_token", "mask_token",
                "image_token")) {
            tokenText(tc.get(key)).ifPresent(t -> special.put(key, t));
        }
        Optional<java.nio.file.Path> jinja = dir.optional(ModelDirectory.CHAT_TEMPLATE_JINJA);
        if (jinja.isPresent()) {
            return new ChatTemplate(dir.text(ModelDirectory.CHAT_TEMPLATE_JINJA), ModelDirectory.CHAT_TEMPLATE_JINJA, special);
        }
        Optional<JsonNode> json = dir.optionalJson(ModelDirectory.CHAT_TEMPLATE_JSON);
        if (json.isPresent() && json.get().path("chat_template").isTextual()) {
            return new ChatTemplate(json.get().get("chat_template").asText(), ModelDirectory.CHAT_TEMPLATE_JSON, special);
        }
        JsonNode t = tc.get("chat_template");
        String origin = ModelDirectory.TOKENIZER_CONFIG + " chat_template";
        if (t != null && t.isTextual()) {
            return new ChatTemplate(t.asText(), origin, special);
        }
        if (t != null && t.isArray()) {
            for (JsonNode e : t) {
                if ("default".equals(e.path("name").asText()) && e.path("template").isTextual()) {
                    return new ChatTemplate(e.get("template").asText(), origin + "[default]", special);
                }
            }
        }
        throw new InvalidInputException("model directory " + dir + " has no chat template (looked in "
                + ModelDirectory.CHAT_TEMPLATE_JINJA + ", " + ModelDirectory.CHAT_TEMPLATE_JSON + " and "
                + ModelDirectory.TOKENIZER_CONFIG + " chat_template)");
    }

    private static Optional<String> tokenText(JsonNode n) {
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        if (n.isTextual()) {
            return Optional.of(n.asText());
        }
        if (n.isObject() && n.path("content").isTextual()) {
            return Optional.of(n.get("content").asText());
        }
        return Optional.empty();
    }

    /** The special tokens given to the template, e.g. {@code eos_token}. */
    public Optional<String> specialToken(String name) {
        Object v = specialTokens.get(name);
        return v == null ? Optional.empty() : Optional.of(v.toString());
    }

    /**
     * Renders a one-image user turn and an assistant turn once, so that a broken template fails when the model is
     * opened rather than at the first prompt.
     *
     * @throws InvalidInputException naming the template's file
     */
    public void check() {
        Map<String, Object> user = Map.of("role", "user",
                "content", List.of(Map.of("type", "image"), Map.of("type", "text", "text", "Describe the image.")));
        Map<String, Object> assistant = Map.of("role", "assistant", "content", List.of(Map.of("type", "text", "text", "A cat.")));
        render(List.of(user), true);
        render(List.of(user, assistant), false);
    }

    /**
     * Renders a conversation.
     *
     * @param messages            HF-style messages: {@code role} and {@code content} (a string or a list of parts such as
     *                            {@code {type: image}}, {@code {type: text, text: ...}})
     * @param addGenerationPrompt append the assistant turn's opening
     * @throws InvalidInputException when the template fails or raises, naming the template's file
     */
    public String render(List<Map<String, Object>> messages, boolean addGenerationPrompt) {
        Map<String, Object> ctx = new HashMap<>(specialTokens);
        ctx.put("messages", messages);
        ctx.put("add_generation_prompt", addGenerationPrompt);
        RenderResult r = jinjava.renderForResult(source, ctx);
        for (TemplateError e : r.getErrors()) {
            if (e.getSeverity() == TemplateError.ErrorType.FATAL) {
                throw new InvalidInputException("chat template (" + origin + ") failed: " + describe(e));
            }
        }
        return r.getOutput();
    }

    private static String describe(TemplateError e) {
        for (Throwable t = e.getException(); t != null; t = t.getCause()) {
            if (t instanceof RaisedException) {
                return "raise_exception('" + t.getMessage() + "')";
            }
            if (t.getCause() == t) {
                break;
            }
        }
        String where = e.getLineno() > 0 ? " (line " + e.getLineno() + ")" : "";
        return ModelDirectory.firstLine(e.getMessage()) + where;
    }

    /** {@code raise_exception(message)} of HF templates: always throws. Public for Jinjava's reflection only. */
    public static String raiseException(String message) {
        throw new RaisedException(message);
    }

    /** {@code strftime_now(format)} of HF templates (common directives only). Public for Jinjava's reflection only. */
    public static String strftimeNow(String format) {
        ZonedDateTime now = ZonedDateTime.now();
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%' || i + 1 == format.length()) {
                out.append(c);
                continue;
            }
            char d = format.charAt(++i);
            switch (d) {
                case 'd' -> out.append(String.format(Locale.ROOT, "%02d", now.getDayOfMonth()));
                case 'm' -> out.append(String.format(Locale.ROOT, "%02d", now.getMonthValue()));
                case 'Y' -> out.append(now.getYear());
                case 'y' -> out.append(String.format(Locale.ROOT, "%02d", now.getYear() % 100));
                case 'H' -> out.append(String.format(Locale.ROOT, "%02d", now.getHour()));
                case 'M' -> out.append(String.format(Locale.ROOT, "%02d", now.getMinute()));
                case 'S' -> out.append(String.format(Locale.ROOT, "%02d", now.getSecond()));
                case 'b' -> out.append(now.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
                case 'B' -> out.append(now.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
                case 'a' -> out.append(now.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
                case 'A' -> out.append(now.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
                case '%' -> out.append('%');
                default -> out.append('%').append(d);
            }
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return "ChatTemplate[" + origin + "]";
    }

    /** Thrown by {@code raise_exception}; recognised in Jinjava's error chain. */
    private static final class RaisedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RaisedException(String message) {
            super(message, null, false, false);
        }
    }
}
