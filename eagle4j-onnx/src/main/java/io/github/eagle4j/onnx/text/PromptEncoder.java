package io.github.eagle4j.onnx.text;

import io.github.eagle4j.AnswerToken;
import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.onnx.family.ModelFamily;
import io.github.eagle4j.onnx.image.ImageLayout;
import io.github.eagle4j.text.PromptMessage;
import io.github.eagle4j.text.PromptToken;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders a conversation with one or more images with the chat template (the history of earlier messages, when
 * there is one, then the user turn with the images and the prompt), expands the image placeholder as the model family's
 * processor does on the text (for an image of a given layout) and tokenises; finds the answer tokens as the suffix
 * of the full conversation beyond the prompt.
 */
public final class PromptEncoder {
    private final ChatTemplate template;
    private final HfTokenizer tokenizer;
    private final String imageToken;
    private final long imageTokenId;
    private final ModelFamily family;
    private final Set<Long> eosIds;
    private final int maxPositions;
    private final List<PromptMessage> history;
    /** One video part whose one placeholder stands for all the layouts (its temporal patches), instead of one image each. */
    private final boolean video;

    /**
     * @param maxPositions the longest sequence the model takes ({@code config.json max_position_embeddings}); 0 for
     *                     no check
     */
    public PromptEncoder(ChatTemplate template, HfTokenizer tokenizer, String imageToken, long imageTokenId, ModelFamily family,
                  Set<Long> eosIds, int maxPositions) {
        this(template, tokenizer, imageToken, imageTokenId, family, eosIds, maxPositions, List.of(), false);
    }

    private PromptEncoder(ChatTemplate template, HfTokenizer tokenizer, String imageToken, long imageTokenId, ModelFamily family,
                          Set<Long> eosIds, int maxPositions, List<PromptMessage> history, boolean video) {
        this.history = List.copyOf(history);
        this.template = template;
        this.tokenizer = tokenizer;
        this.imageToken = imageToken;
        this.imageTokenId = imageTokenId;
        this.family = family;
        this.eosIds = Set.copyOf(eosIds);
        this.maxPositions = maxPositions;
        this.video = video;
    }

    private PromptEncoder(PromptEncoder images, String videoToken, long videoTokenId) {
        this.template = images.template;
        this.tokenizer = images.tokenizer;
        this.imageToken = videoToken;
        this.imageTokenId = videoTokenId;
        this.family = images.family;
        this.eosIds = images.eosIds;
        this.maxPositions = images.maxPositions;
        this.history = images.history;
        this.video = true;
    }

    /**
     * This encoder for a prompt with one video: the user turn gets one video part, whose placeholder {@code videoToken}
     * is expanded to the video tokens of all its temporal patches (the layouts passed to the encoding methods, in order).
     */
    public PromptEncoder forVideo(String videoToken, long videoTokenId) {
        return new PromptEncoder(this, videoToken, videoTokenId);
    }

    long imageTokenId() {
        return imageTokenId;
    }

    /**
     * This encoder with {@code history} rendered before every user turn: the messages' texts are written as text parts,
     * in order. The conversation is rendered once here, with a one-image question after it, so that a template that
     * cannot render it (a role it does not know, turns that do not alternate) fails now.
     *
     * @throws InvalidInputException when a message holds the image placeholder, or the chat template fails on the
     *                               conversation (naming the template's file)
     */
    public PromptEncoder withHistory(List<PromptMessage> history) {
        for (int i = 0; i < history.size(); i++) {
            checkText(history.get(i).text(), "message " + i + " of the history");
        }
        PromptEncoder e = new PromptEncoder(template, tokenizer, imageToken, imageTokenId, family, eosIds, maxPositions, history,
                video);
        e.template.render(e.messages("?", 1, null), true);
        return e;
    }

    /** The messages rendered before the user turn. */
    public List<PromptMessage> history() {
        return history;
    }

    /** The rendered prompt (generation prompt added) and its ids for an image of {@code layout}, for generation. */
    public Prompt encodePrompt(String prompt, ImageLayout layout) {
        return encodePrompt(prompt, List.of(layout));
    }

    /**
     * The rendered prompt and its ids for several images in one user turn, in order (one image part each, before the
     * text), for images of {@code layouts}.
     */
    public Prompt encodePrompt(String prompt, List<ImageLayout> layouts) {
        checkText(prompt, "prompt");
        if (prompt.isBlank()) {
            throw new InvalidInputException("the prompt is empty");
        }
        String text = template.render(messages(prompt, layouts.size(), null), true);
        long[] ids = tokenize(text, "prompt", layouts).ids();
        if (maxPositions > 0 && ids.length >= maxPositions) {
            throw tooLong("the prompt is " + ids.length + " tokens long (" + describe(layouts) + ") and leaves no room for an answer");
        }
        return new Prompt(text, ids);
    }

    private String describe(List<ImageLayout> layouts) {
        int tokens = layouts.stream().mapToInt(ImageLayout::imageTokens).sum();
        if (video) {
            return tokens + " video tokens for " + layouts.size() + " temporal patches";
        }
        if (layouts.size() == 1) {
            ImageLayout l = layouts.get(0);
            return tokens + " image tokens for " + l.width() + "x" + l.height();
        }
        return tokens + " image tokens for " + layouts.size() + " images";
    }

    /**
     * The conversation's own tokens in the sequence for an image of {@code layout}, with character offsets in their
     * message's text: message {@code i} is history message {@code i}, and the prompt is message {@code history().size()}.
     * Only tokens whose characters lie wholly inside a message's text as the chat template writes it are listed:
     * template tokens, image tokens and a token that straddles a message's edge (a byte-level merge with template
     * text) are left out, so masking never touches them.
     *
     * <p>Where each message lies is found by rendering the conversation once more with each message's text replaced
     * by a marker the template cannot confuse with its own text; the real rendering must be that rendering with the
     * markers replaced by the texts (the template writes every message verbatim).
     *
     * @throws InvalidInputException when the template does not write every message verbatim
     */
    public List<PromptToken> promptTokens(String prompt, ImageLayout layout) {
        return promptTokens(prompt, List.of(layout));
    }

    /**
     * As {@link #promptTokens(String, ImageLayout)} for a prompt with several images of {@code layouts}, in order (or,
     * for a video encoder, the video's temporal patches).
     */
    public List<PromptToken> promptTokens(String prompt, List<ImageLayout> layouts) {
        Prompt p = encodePrompt(prompt, layouts);
        List<String> texts = new ArrayList<>();
        history.forEach(m -> texts.add(m.text()));
        texts.add(prompt);
        List<Map<String, Object>> marked = new ArrayList<>();
        List<Map<String, Object>> real = messages(prompt, layouts.size(), null);
        for (int i = 0; i < real.size(); i++) {
            marked.add(withText(real.get(i), marker(i)));
        }
        String markedExpanded = expand(template.render(marked, true), layouts);
        StringBuilder expanded = new StringBuilder();
        int[] starts = new int[texts.size()];
        int from = 0;
        for (int i = 0; i < texts.size(); i++) {
            String m = marker(i);
            int at = markedExpanded.indexOf(m, from);
            if (at < 0 || markedExpanded.indexOf(m, at + m.length()) >= 0) {
                throw notVerbatim(i, texts.size());
            }
            expanded.append(markedExpanded, from, at);
            starts[i] = expanded.length();
            expanded.append(texts.get(i));
            from = at + m.length();
        }
        expanded.append(markedExpanded.substring(from));
        if (!expanded.toString().equals(expand(p.text(), layouts))) {
            throw notVerbatim(-1, texts.size());
        }
        HfTokenizer.Offsets enc = tokenizer.encodeWithOffsets(expanded.toString());
        if (!java.util.Arrays.equals(enc.encoded().ids(), p.ids())) {
            throw new InvalidInputException("the tokenizer gives other ids with offsets than without for the prompt");
        }
        List<PromptToken> out = new ArrayList<>();
        long[] ids = p.ids();
        for (int i = 0; i < ids.length; i++) {
            int s = enc.starts()[i];
            int e = enc.ends()[i];
            if (ids[i] == imageTokenId || e <= s) {
                continue;
            }
            for (int m = 0; m < texts.size(); m++) {
                if (s >= starts[m] && e <= starts[m] + texts.get(m).length()) {
                    out.add(new PromptToken(i, m, s - starts[m], e - starts[m]));
                    break;
                }
            }
        }
        return out;
    }

    private InvalidInputException notVerbatim(int message, int messages) {
        String which = message < 0 ? "every message" : message == messages - 1 ? "the prompt" : "message " + message + " of the conversation";
        return new InvalidInputException("the chat template (" + template + ") does not write " + which
                + " verbatim, so its tokens cannot be found for text regions");
    }

    /** A text no message or template holds: private-use characters around the message's index. */
    private static String marker(int i) {
        return "\uE000" + i + "\uE001";
    }

    /** {@code message} with its text part's text replaced. */
    private static Map<String, Object> withText(Map<String, Object> message, String text) {
        List<Object> content = new ArrayList<>();
        for (Object o : (List<?>) message.get("content")) {
            Map<?, ?> part = (Map<?, ?>) o;
            // image and video parts stay as they are: only the text is marked
            content.add("text".equals(part.get("type")) ? Map.of("type", "text", "text", text) : part);
        }
        return Map.of("role", message.get("role"), "content", content);
    }

    private InvalidInputException tooLong(String what) {
        return new InvalidInputException(what + ": the model takes at most " + maxPositions + " positions (config.json "
                + io.github.eagle4j.onnx.family.ModelConfig.MAX_POSITIONS_FIELD + "); shorten the prompt or the answer");
    }

    /** The prompt plus the answer as the assistant's turn, with the answer's token positions, for an image of {@code layout}. */
    public EncodedConversation encode(String prompt, String answer, ImageLayout layout) {
        return encode(prompt, answer, List.of(layout));
    }

    /** The prompt with several images, in order, plus the answer as the assistant's turn. */
    public EncodedConversation encode(String prompt, String answer, List<ImageLayout> layouts) {
        Prompt p = encodePrompt(prompt, layouts);
        checkText(answer, "answer");
        Map<String, Object> assistant = Map.of("role", "assistant",
                "content", List.of(Map.of("type", "text", "text", answer)));
        String fullText = template.render(messages(prompt, layouts.size(), assistant), false);
        HfTokenizer.Encoded enc = tokenize(fullText, "conversation", layouts);
        long[] full = enc.ids();
        long[] promptIds = p.ids();
        int n = promptIds.length;
        for (int i = 0; i < n; i++) {
            if (i >= full.length || full[i] != promptIds[i]) {
                throw new InvalidInputException("the chat template's prompt is not a prefix of the conversation with the answer: "
                        + "tokens differ at position " + i + " (prompt '" + tokenizer.token(promptIds[i]) + "', conversation '"
                        + (i < full.length ? tokenizer.token(full[i]) : "end") + "'); the answer positions cannot be found");
            }
        }
        List<AnswerToken> tokens = new ArrayList<>();
        int contentTokens = 0;
        for (int i = n; i < full.length; i++) {
            long id = full[i];
            tokens.add(new AnswerToken(i - n, enc.tokens()[i], id));
            if (eosIds.contains(id)) {
                break;
            }
            contentTokens++;
        }
        if (contentTokens == 0) {
            throw new InvalidInputException("the answer '" + answer + "' has no tokens of its own for this model's tokenizer");
        }
        long[] teacherForced = java.util.Arrays.copyOf(full, n + tokens.size());
        if (maxPositions > 0 && teacherForced.length > maxPositions) {
            throw tooLong("the conversation is " + teacherForced.length + " tokens long (prompt " + n + " with "
                    + describe(layouts) + ", answer " + tokens.size() + ")");
        }
        return new EncodedConversation(p.text(), fullText, promptIds, teacherForced, tokens);
    }

    private HfTokenizer.Encoded tokenize(String renderedText, String what, List<ImageLayout> layouts) {
        HfTokenizer.Encoded enc = tokenizer.encode(expand(renderedText, layouts));
        int expected = layouts.stream().mapToInt(ImageLayout::imageTokens).sum();
        long[] ids = enc.ids();
        int count = 0;
        for (long id : ids) {
            if (id == imageTokenId) {
                count++;
            }
        }
        if (count != expected) {
            throw new InvalidInputException("the " + what + " has " + count + " image tokens (id " + imageTokenId
                    + ") after expansion, expected " + describe(layouts));
        }
        return enc;
    }

    private String expand(String rendered, List<ImageLayout> layouts) {
        if (video) {
            int at = rendered.indexOf(imageToken);
            if (at < 0 || rendered.indexOf(imageToken, at + imageToken.length()) >= 0) {
                throw new InvalidInputException("the chat template (" + template + ") must place the video placeholder '" + imageToken
                        + "' once for a video part");
            }
            int tokens = layouts.stream().mapToInt(ImageLayout::imageTokens).sum();
            return rendered.substring(0, at) + imageToken.repeat(tokens) + rendered.substring(at + imageToken.length());
        }
        int placeholders = 0;
        for (int at = rendered.indexOf(imageToken); at >= 0; at = rendered.indexOf(imageToken, at + imageToken.length())) {
            placeholders++;
        }
        if (placeholders != layouts.size()) {
            if (layouts.size() > 1 && placeholders == 1) {
                throw new InvalidInputException("this model takes one image per prompt: its chat template (" + template
                        + ") places the image placeholder '" + imageToken + "' once for " + layouts.size() + " images");
            }
            throw new InvalidInputException("the chat template (" + template + ") must place the image placeholder '" + imageToken
                    + "' once per image: " + placeholders + " for " + layouts.size() + (layouts.size() == 1 ? " image" : " images"));
        }
        StringBuilder out = new StringBuilder(rendered.length());
        int from = 0;
        for (ImageLayout layout : layouts) {
            int at = rendered.indexOf(imageToken, from);
            out.append(rendered, from, at).append(family.expandImage(imageToken, layout));
            from = at + imageToken.length();
        }
        return out.append(rendered, from, rendered.length()).toString();
    }

    private void checkText(String text, String what) {
        if (text == null) {
            throw new InvalidInputException("the " + what + " is missing");
        }
        if (text.contains(imageToken)) {
            throw new InvalidInputException("the " + what + " contains the image placeholder '" + imageToken + "'");
        }
    }

    /** The history, the user turn with {@code images} image parts and the prompt, and {@code assistant} when not null. */
    private List<Map<String, Object>> messages(String prompt, int images, Map<String, Object> assistant) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (PromptMessage m : history) {
            out.add(Map.of("role", m.role().jsonName(), "content", List.of(Map.of("type", "text", "text", m.text()))));
        }
        out.add(userMessage(prompt, images, video));
        if (assistant != null) {
            out.add(assistant);
        }
        return out;
    }

    private static Map<String, Object> userMessage(String prompt, int images, boolean video) {
        List<Map<String, Object>> content = new ArrayList<>();
        for (int i = 0; i < (video ? 1 : images); i++) {
            content.add(Map.of("type", video ? "video" : "image"));
        }
        content.add(Map.of("type", "text", "text", prompt));
        return Map.of("role", "user", "content", content);
    }

    /**
     * A rendered prompt.
     *
     * @param text rendered text, placeholder not expanded
     * @param ids  token ids, image tokens expanded
     */
    public record Prompt(String text, long[] ids) {
    }
}
