package io.github.eagle4j.onnx;

import io.github.eagle4j.AnswerToken;
import io.github.eagle4j.InvalidInputException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders a one-image conversation with the chat template, expands the image placeholder to as many image
 * tokens as the vision encoder emits (as transformers' {@code LlavaProcessor} does, on the text) and tokenises;
 * finds the answer tokens as the suffix of the full conversation beyond the prompt.
 */
final class PromptEncoder {
    private final ChatTemplate template;
    private final HfTokenizer tokenizer;
    private final String imageToken;
    private final long imageTokenId;
    private final int imageTokenCount;
    private final Set<Long> eosIds;

    PromptEncoder(ChatTemplate template, HfTokenizer tokenizer, String imageToken, long imageTokenId, int imageTokenCount,
                  Set<Long> eosIds) {
        this.template = template;
        this.tokenizer = tokenizer;
        this.imageToken = imageToken;
        this.imageTokenId = imageTokenId;
        this.imageTokenCount = imageTokenCount;
        this.eosIds = Set.copyOf(eosIds);
    }

    int imageTokenCount() {
        return imageTokenCount;
    }

    long imageTokenId() {
        return imageTokenId;
    }

    /** The rendered prompt (generation prompt added) and its ids, for generation. */
    Prompt encodePrompt(String prompt) {
        checkText(prompt, "prompt");
        if (prompt.isBlank()) {
            throw new InvalidInputException("the prompt is empty");
        }
        String text = template.render(List.of(userMessage(prompt)), true);
        return new Prompt(text, tokenize(text, "prompt").ids());
    }

    /** The prompt plus the answer as the assistant's turn, with the answer's token positions. */
    EncodedConversation encode(String prompt, String answer) {
        Prompt p = encodePrompt(prompt);
        checkText(answer, "answer");
        Map<String, Object> assistant = Map.of("role", "assistant",
                "content", List.of(Map.of("type", "text", "text", answer)));
        String fullText = template.render(List.of(userMessage(prompt), assistant), false);
        HfTokenizer.Encoded enc = tokenize(fullText, "conversation");
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
        return new EncodedConversation(p.text(), fullText, promptIds, teacherForced, tokens);
    }

    private HfTokenizer.Encoded tokenize(String renderedText, String what) {
        HfTokenizer.Encoded enc = tokenizer.encode(expand(renderedText));
        long[] ids = enc.ids();
        int count = 0;
        for (long id : ids) {
            if (id == imageTokenId) {
                count++;
            }
        }
        if (count != imageTokenCount) {
            throw new InvalidInputException("the " + what + " has " + count + " image tokens (id " + imageTokenId
                    + ") after expansion, expected " + imageTokenCount + " for one image");
        }
        return enc;
    }

    private String expand(String rendered) {
        int at = rendered.indexOf(imageToken);
        if (at < 0 || rendered.indexOf(imageToken, at + imageToken.length()) >= 0) {
            throw new InvalidInputException("the chat template (" + template + ") must place the image placeholder '" + imageToken
                    + "' exactly once");
        }
        return rendered.substring(0, at) + imageToken.repeat(imageTokenCount) + rendered.substring(at + imageToken.length());
    }

    private void checkText(String text, String what) {
        if (text == null) {
            throw new InvalidInputException("the " + what + " is missing");
        }
        if (text.contains(imageToken)) {
            throw new InvalidInputException("the " + what + " contains the image placeholder '" + imageToken + "'");
        }
    }

    private static Map<String, Object> userMessage(String prompt) {
        return Map.of("role", "user", "content", List.of(Map.of("type", "image"), Map.of("type", "text", "text", prompt)));
    }

    /**
     * A rendered prompt.
     *
     * @param text rendered text, placeholder not expanded
     * @param ids  token ids, image tokens expanded
     */
    record Prompt(String text, long[] ids) {
    }
}
