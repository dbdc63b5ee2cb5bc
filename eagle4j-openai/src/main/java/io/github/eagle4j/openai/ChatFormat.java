package io.github.eagle4j.openai;

import io.github.eagle4j.InvalidInputException;

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
 * <p>Presets ({@link #PRESETS}): {@code llava-1.5} and {@code qwen2.5-vl}, the prompt formats of the Hugging Face
 * releases of LLaVA-1.5 and Qwen2.5-VL (default system prompt included). Check a preset against your model's chat
 * template; when in doubt write the format out.
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

    public ChatFormat {
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

    /** The prompt with the generation prompt, for generation. */
    public String generationPrompt(String prompt) {
        int end = template.indexOf(GEN) >= 0 ? template.indexOf(GEN) : template.indexOf(ANSWER);
        return fill(template.substring(0, end), prompt);
    }

    /** The prompt followed by the answer, the assistant turn left open. */
    public String open(String prompt, String answer) {
        return fill(template.substring(0, template.indexOf(ANSWER)).replace(GEN, ""), prompt) + answer;
    }

    /** The prompt followed by the answer and the end of the assistant turn. */
    public String closed(String prompt, String answer) {
        return open(prompt, answer) + template.substring(template.indexOf(ANSWER) + ANSWER.length());
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
        m.put("llava-1.5", "USER: <image>\n{prompt} ASSISTANT:{gen} {answer}</s>");
        m.put("qwen2.5-vl", "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\n"
                + "<|vision_start|><|image_pad|><|vision_end|>{prompt}<|im_end|>\n<|im_start|>assistant\n{answer}<|im_end|>\n");
        return java.util.Collections.unmodifiableMap(m);
    }
}
