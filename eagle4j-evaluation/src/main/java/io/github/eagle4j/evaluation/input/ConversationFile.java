package io.github.eagle4j.evaluation.input;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.text.Conversation;
import io.github.eagle4j.text.MessageRole;
import io.github.eagle4j.text.PromptMessage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads a conversation in the role/content form of chat APIs (docs/text.md, conversations): a JSON array of
 * {@code {"role": "system"|"user"|"assistant", "content": ...}}, the content a string or a list of parts
 * ({@code {"type": "text", "text": ...}}, {@code {"type": "image"}} or {@code {"type": "image_url", ...}}).
 *
 * <p>The question is the last user turn: either the file's last message, which must then be a user turn with text,
 * or a question given beside the file, which is appended as a new user turn after every message of the file. The
 * explained image always belongs to the question; image parts may stand only in the file's last user turn when it is
 * the question, and mark where the image goes (their URLs are not read). The text parts of a message are joined with
 * a line break. Other fields of a message ({@code name}, ...) are ignored.
 *
 * <p>Every error is one line naming the file and the JSON path of the bad element ({@code $[2].content[0].type}).
 */
public final class ConversationFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ConversationFile() {
    }

    /**
     * Reads {@code file}.
     *
     * @param question the question given beside the file, appended as the last user turn; {@code null} when the file's
     *                 last message is the question
     * @throws InvalidInputException naming the file and the JSON path of what is wrong
     */
    public static Conversation read(Path file, String question) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidInputException(file + ": cannot read the conversation file (" + e.getClass().getSimpleName()
                    + (e.getMessage() != null ? ": " + e.getMessage() : "") + ")", e);
        }
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(file + ": not JSON: " + e.getOriginalMessage() + " (line "
                    + e.getLocation().getLineNr() + ")", e);
        }
        return parse(root, file.toString(), question);
    }

    /**
     * Reads a conversation already parsed, e.g. an array inside a manifest line.
     *
     * @param where    what to name in messages (a file, a manifest field)
     * @param question as for {@link #read(Path, String)}
     */
    public static Conversation parse(JsonNode root, String where, String question) {
        if (root == null || !root.isArray() || root.isEmpty()) {
            throw new InvalidInputException(where + ": $ is not a non-empty JSON array of messages {\"role\", \"content\"}");
        }
        int last = root.size() - 1;
        boolean questionInFile = question == null;
        List<PromptMessage> history = new ArrayList<>();
        String prompt = question;
        for (int i = 0; i <= last; i++) {
            JsonNode m = root.get(i);
            String path = "$[" + i + "]";
            if (!m.isObject()) {
                throw bad(where, path, "is not a message object {\"role\", \"content\"}");
            }
            MessageRole role = role(m.get("role"), where, path + ".role");
            boolean isQuestion = questionInFile && i == last;
            String text = content(m.get("content"), where, path + ".content", isQuestion);
            if (isQuestion) {
                if (role != MessageRole.USER) {
                    throw bad(where, path, "is the last message, a " + role.jsonName()
                            + " turn: the question must be the last user turn");
                }
                if (text.isBlank()) {
                    throw bad(where, path + ".content", "has no text: the question (the last user turn) is empty");
                }
                prompt = text;
            } else {
                history.add(new PromptMessage(role, text));
            }
        }
        return new Conversation(history, prompt);
    }

    private static MessageRole role(JsonNode n, String where, String path) {
        if (n == null || !n.isTextual()) {
            throw bad(where, path, "is missing or not a string (system, user or assistant)");
        }
        for (MessageRole r : MessageRole.values()) {
            if (r.jsonName().equals(n.asText())) {
                return r;
            }
        }
        throw bad(where, path, "'" + n.asText() + "' is not a role of system, user, assistant");
    }

    private static String content(JsonNode n, String where, String path, boolean question) {
        if (n != null && n.isTextual()) {
            return n.asText();
        }
        if (n == null || !n.isArray()) {
            throw bad(where, path, "is missing or neither a string nor a list of parts");
        }
        List<String> texts = new ArrayList<>();
        for (int p = 0; p < n.size(); p++) {
            JsonNode part = n.get(p);
            String at = path + "[" + p + "]";
            if (!part.isObject() || !part.path("type").isTextual()) {
                throw bad(where, at, "is not a part {\"type\": \"text\"|\"image\"|\"image_url\", ...}");
            }
            String type = part.get("type").asText().toLowerCase(Locale.ROOT);
            switch (type) {
                case "text" -> {
                    if (!part.path("text").isTextual()) {
                        throw bad(where, at + ".text", "is missing or not a string");
                    }
                    texts.add(part.get("text").asText());
                }
                case "image", "image_url" -> {
                    if (!question) {
                        throw bad(where, at, "is an image in a turn that is not the question: the explained image belongs"
                                + " to the last user turn");
                    }
                }
                default -> throw bad(where, at + ".type", "'" + part.get("type").asText() + "' is not text, image or image_url");
            }
        }
        return String.join("\n", texts);
    }

    private static InvalidInputException bad(String where, String path, String problem) {
        return new InvalidInputException(where + ": " + path + " " + problem);
    }
}
