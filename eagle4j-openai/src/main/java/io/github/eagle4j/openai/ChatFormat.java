package io.github.eagle4j.openai;

import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.text.MessageRole;
import io.github.eagle4j.text.PromptMessage;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How a one-image conversation is written for a server that applies no chat template (SGLang's {@code /generate}).
 * A format is one line of text with three markers: {@code {prompt}}, where the user's prompt goes; {@code {answer}},
 * where the assistant's answer goes; and optionally {@code {gen}} before {@code {answer}}, where the generation prompt
 * ends when it is not everything before the answer. Everything else is literal, the model's image placeholder and
 * special tokens included; {@code \n}, {@code \t} and {@code \\} are read as escapes. The text after {@code {answer}}
 * closes the assistant turn; its first token is the end-of-turn target.
 *
 * <pre>{@code
 * USER: <image>\n{prompt} ASSISTANT:{gen} {answer}</s>
 * }</pre>
 *
 * <p>For a prompt with several images ({@link #forImages}) the format's image placeholder is written once per image,
 * in order: the first of {@code <|vision_start|><|image_pad|><|vision_end|>}, {@code <image>\n} and {@code <image>}
 * found in the format (what the Qwen2-VL/Qwen2.5-VL and LLaVA chat templates write for each image part).
 *
 * <p>A conversation (a system prompt, earlier turns; {@link #withHistory}) needs two more markers: {@code {history}},
 * where the earlier turns go, each user/assistant pair written as the format's text from {@code {history}} on with its
 * image placeholder and {@code {gen}} left out, the user's text for {@code {prompt}} and the assistant's for
 * {@code {answer}}; and, for a system message, {@code {system}} or {@code {system=DEFAULT}}, where the system
 * message's text goes (else the default, or nothing). Without a conversation both markers write their defaults.
 *
 * <pre>{@code
 * <s>{history}USER: <image>\n{prompt} ASSISTANT:{gen} {answer} </s>
 * }</pre>
 *
 * <p>Presets ({@link #PRESETS}): {@code llava-1.5} and {@code qwen2.5-vl}, the prompt formats of the Hugging Face
 * releases of LLaVA-1.5 and Qwen2.5-VL (default system prompt included), with {@code {history}} (and, for Qwen2.5-VL,
 * {@code {system=...}}). Check a preset against your model's chat template; when in doubt write the format out.
 *
 * @param name     preset name, or {@code custom}
 * @param template the format with escapes resolved
 */
public record ChatFormat(String name, String template) {
    /** The built-in formats, by name. */
    public static final Map<String, String> PRESETS = presets();

    private static final String PROMPT = "{prompt}";
    private static final String GEN = "{gen}";
    private static final String ANSWER = "{answer}";
    private static final String HISTORY = "{history}";
    /** The start of the system marker: {@code {system}} or {@code {system=DEFAULT}}. */
    private static final String SYSTEM = "{system";

    public ChatFormat {
        int h = template.indexOf(HISTORY);
        int sys = template.indexOf(SYSTEM);
        if (template.indexOf(HISTORY, h + 1) >= 0 && h >= 0 || sys >= 0 && template.indexOf(SYSTEM, sys + 1) >= 0) {
            throw InvalidInputException.forInput(ServerSettings.CHAT_FORMAT, " may contain {history} and {system} once each, got '"
                    + template + "'");
        }
        if (sys >= 0 && (template.indexOf('}', sys) < 0 || h >= 0 && template.indexOf('}', sys) > h)) {
            throw InvalidInputException.forInput(ServerSettings.CHAT_FORMAT, " must close {system=...} before {history}, got '"
                    + template + "'");
        }
        if (h >= 0 && h > template.indexOf(PROMPT)) {
            throw InvalidInputException.forInput(ServerSettings.CHAT_FORMAT, " must have {history} before {prompt}, got '"
                    + template + "'");
        }
        int p = template.indexOf(PROMPT);
        int a = template.indexOf(ANSWER);
        int g = template.indexOf(GEN);
        if (p < 0 || a < 0 || template.indexOf(PROMPT, p + 1) >= 0 || template.indexOf(ANSWER, a + 1) >= 0) {
            throw InvalidInputException.forInput(ServerSettings.CHAT_FORMAT, " must contain {prompt} and {answer} once each, got '"
                    + template + "'");
        }
        if (a < p || (g >= 0 && (g < p || g > a || template.indexOf(GEN, g + 1) >= 0))) {
            throw InvalidInputException.forInput(ServerSettings.CHAT_FORMAT, " must have {prompt}, then {gen} (optional, once),"
                    + " then {answer}, got '" + template + "'");
        }
    }

    /**
     * A preset by name, or a format string.
     *
     * @throws InvalidInputException when neither
     */
    public static ChatFormat of(String spec) {
        String preset = PRESETS.get(spec.strip().toLowerCase(Locale.ROOT));
        if (preset != null) {
            return new ChatFormat(spec.strip().toLowerCase(Locale.ROOT), preset);
        }
        if (!spec.contains(PROMPT)) {
            throw InvalidInputException.forInput(ServerSettings.CHAT_FORMAT, " '" + spec + "' is neither a preset (" + String.join(", ", PRESETS.keySet())
                    + ") nor a format with {prompt} and {answer}");
        }
        return new ChatFormat("custom", unescape(spec));
    }

    /** Image placeholders a format may hold, tried in order by {@link #forImages}. */
    static final List<String> IMAGE_PLACEHOLDERS = List.of("<|vision_start|><|image_pad|><|vision_end|>", "<image>\n", "<image>");

    /**
     * This format for a prompt with {@code images} images: its image placeholder written {@code images} times.
     *
     * @throws InvalidInputException when the format holds none of {@link #IMAGE_PLACEHOLDERS}
     */
    public ChatFormat forImages(int images) {
        if (images == 1) {
            return this;
        }
        for (String p : IMAGE_PLACEHOLDERS) {
            int at = template.indexOf(p);
            if (at >= 0 && at < template.indexOf(PROMPT)) {
                return new ChatFormat(name, template.substring(0, at) + p.repeat(images) + template.substring(at + p.length()));
            }
        }
        throw new InvalidInputException("--chat-format '" + template.replace("\n", "\\n") + "' has no image placeholder before {prompt} ("
                + String.join(", ", IMAGE_PLACEHOLDERS).replace("\n", "\\n") + ") to write once per image for " + images + " images");
    }

    /** The preset whose name matches a served model's name or path, if one does. */
    public static Optional<ChatFormat> guess(String servedModel) {
        String m = servedModel.toLowerCase(Locale.ROOT);
        if (m.contains("qwen2.5-vl") || m.contains("qwen2_5_vl") || m.contains("qwen2-vl")) {
            return Optional.of(of("qwen2.5-vl"));
        }
        if (m.contains("llava-1.5") || m.contains("llava-v1.5")) {
            return Optional.of(of("llava-1.5"));
        }
        return Optional.empty();
    }

    /**
     * This format with {@code history} written in (its markers replaced, so the result has none): an optional system
     * message first, then user/assistant pairs.
     *
     * @throws InvalidInputException when the history has another shape, the format lacks the marker a message needs, or
     *                               a message holds a marker or an image placeholder
     */
    public ChatFormat withHistory(List<PromptMessage> history) {
        for (int i = 0; i < history.size(); i++) {
            String text = history.get(i).text();
            for (String marker : List.of(PROMPT, GEN, ANSWER, HISTORY, SYSTEM)) {
                if (text.contains(marker)) {
                    throw new InvalidInputException("message " + i + " of the conversation contains '" + marker
                            + "', a marker of the chat format; it cannot be written into it");
                }
            }
            for (String placeholder : IMAGE_PLACEHOLDERS) {
                if (text.contains(placeholder.strip())) {
                    throw new InvalidInputException("message " + i + " of the conversation contains the image placeholder '"
                            + placeholder.strip() + "'");
                }
            }
        }
        int from = 0;
        String system = null;
        if (!history.isEmpty() && history.get(0).role() == MessageRole.SYSTEM) {
            if (template.indexOf(SYSTEM) < 0) {
                throw new InvalidInputException("the chat format '" + printable() + "' has no {system} marker, so the"
                        + " conversation's system message cannot be written (docs/backends.md)");
            }
            system = history.get(0).text();
            from = 1;
        }
        StringBuilder turns = new StringBuilder();
        if (from < history.size()) {
            if (template.indexOf(HISTORY) < 0) {
                throw new InvalidInputException("the chat format '" + printable() + "' has no {history} marker, so the"
                        + " conversation's earlier turns cannot be written (docs/backends.md)");
            }
            String turn = turnTemplate();
            for (int i = from; i < history.size(); i += 2) {
                PromptMessage user = history.get(i);
                PromptMessage assistant = i + 1 < history.size() ? history.get(i + 1) : null;
                if (user.role() != MessageRole.USER || assistant == null || assistant.role() != MessageRole.ASSISTANT) {
                    PromptMessage bad = user.role() != MessageRole.USER || assistant == null ? user : assistant;
                    int at = user.role() != MessageRole.USER || assistant == null ? i : i + 1;
                    throw new InvalidInputException("a chat format writes earlier turns as user/assistant pairs after an"
                            + " optional system message; message " + at + " of the conversation is " + bad.role().jsonName()
                            + (assistant == null && user.role() == MessageRole.USER ? " with no assistant answer after it" : ""));
                }
                int p = turn.indexOf(PROMPT);
                String filled = turn.substring(0, p) + user.text() + turn.substring(p + PROMPT.length());
                int a = filled.indexOf(ANSWER);
                turns.append(filled, 0, a).append(assistant.text()).append(filled.substring(a + ANSWER.length()));
            }
        }
        return new ChatFormat(name, resolve(template, system, turns.toString()));
    }

    /** The text of one earlier turn: the format from {@code {history}} on, without the image placeholder and {@code {gen}}. */
    private String turnTemplate() {
        String turn = template.substring(template.indexOf(HISTORY) + HISTORY.length()).replace(GEN, "");
        int prompt = turn.indexOf(PROMPT);
        for (String p : IMAGE_PLACEHOLDERS) {
            int at = turn.indexOf(p);
            if (at >= 0 && at < prompt) {
                return turn.substring(0, at) + turn.substring(at + p.length());
            }
        }
        return turn;
    }

    /** {@code template} with the system marker replaced by {@code system} (null: its default) and {@code {history}} by {@code turns}. */
    private static String resolve(String template, String system, String turns) {
        String out = template;
        int s = out.indexOf(SYSTEM);
        if (s >= 0) {
            int end = out.indexOf('}', s);
            String marker = out.substring(s, end + 1);
            String fallback = marker.startsWith(SYSTEM + "=") ? marker.substring(SYSTEM.length() + 1, marker.length() - 1) : "";
            out = out.substring(0, s) + (system != null ? system : fallback) + out.substring(end + 1);
        }
        int h = out.indexOf(HISTORY);
        if (h >= 0) {
            out = out.substring(0, h) + turns + out.substring(h + HISTORY.length());
        }
        return out;
    }

    private String printable() {
        return template.replace("\n", "\\n");
    }

    /** The format's text with no conversation: its markers' defaults written in. */
    private String body() {
        return resolve(template, null, "");
    }

    /** The prompt with the generation prompt, for generation. */
    public String generationPrompt(String prompt) {
        String body = body();
        int end = body.indexOf(GEN) >= 0 ? body.indexOf(GEN) : body.indexOf(ANSWER);
        return fill(body.substring(0, end), prompt);
    }

    /** The prompt followed by the answer, the assistant turn left open. */
    public String open(String prompt, String answer) {
        String body = body();
        return fill(body.substring(0, body.indexOf(ANSWER)).replace(GEN, ""), prompt) + answer;
    }

    /** {@link #closed} or {@link #open}. */
    String conversation(String prompt, String answer, boolean closed) {
        return closed ? closed(prompt, answer) : open(prompt, answer);
    }

    /** The prompt followed by the answer and the end of the assistant turn. */
    public String closed(String prompt, String answer) {
        String body = body();
        return open(prompt, answer) + body.substring(body.indexOf(ANSWER) + ANSWER.length());
    }

    private static String fill(String part, String prompt) {
        int p = part.indexOf(PROMPT);
        return part.substring(0, p) + prompt + part.substring(p + PROMPT.length());
    }

    static String unescape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char d = s.charAt(i + 1);
                switch (d) {
                    case 'n' -> { b.append('\n'); i++; }
                    case 't' -> { b.append('\t'); i++; }
                    case '\\' -> { b.append('\\'); i++; }
                    default -> b.append(c);
                }
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static Map<String, String> presets() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("llava-1.5", "{history}USER: <image>\n{prompt} ASSISTANT:{gen} {answer}</s>");
        m.put("qwen2.5-vl", "<|im_start|>system\n{system=You are a helpful assistant.}<|im_end|>\n{history}<|im_start|>user\n"
                + "<|vision_start|><|image_pad|><|vision_end|>{prompt}<|im_end|>\n<|im_start|>assistant\n{answer}<|im_end|>\n");
        return java.util.Collections.unmodifiableMap(m);
    }
}
