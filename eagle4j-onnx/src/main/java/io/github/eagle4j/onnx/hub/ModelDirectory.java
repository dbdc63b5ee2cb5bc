package io.github.eagle4j.onnx.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.eagle4j.InvalidInputException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The files of a Hugging Face model folder in the onnx-community layout, with one-line errors that name the
 * missing or unreadable file.
 */
public final class ModelDirectory {
    public static final String CONFIG = "config.json";
    public static final String GENERATION_CONFIG = "generation_config.json";
    public static final String TOKENIZER = "tokenizer.json";
    public static final String TOKENIZER_CONFIG = "tokenizer_config.json";
    public static final String PREPROCESSOR_CONFIG = "preprocessor_config.json";
    public static final String PROCESSOR_CONFIG = "processor_config.json";
    public static final String CHAT_TEMPLATE_JINJA = "chat_template.jinja";
    public static final String CHAT_TEMPLATE_JSON = "chat_template.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path root;

    private ModelDirectory(Path root) {
        this.root = root;
    }

    /** Checks that {@code root} is a directory holding {@code onnx/} and {@code config.json}. */
    public static ModelDirectory open(Path root) {
        Path abs = root.toAbsolutePath().normalize();
        if (!Files.isDirectory(abs)) {
            throw new InvalidInputException("model directory " + root + " does not exist or is not a directory");
        }
        ModelDirectory dir = new ModelDirectory(abs);
        if (!Files.isDirectory(abs.resolve("onnx"))) {
            throw new InvalidInputException("model directory " + root + " has no onnx/ folder (expected the onnx-community layout)");
        }
        dir.require(CONFIG);
        return dir;
    }

    /** A folder without the layout checks, for reading single files. */
    public static ModelDirectory plain(Path root) {
        return new ModelDirectory(root.toAbsolutePath().normalize());
    }

    public Path root() {
        return root;
    }

    /** A required file, relative to the model directory. */
    public Path require(String relative) {
        Path p = root.resolve(relative);
        if (!Files.isRegularFile(p)) {
            throw new InvalidInputException("model directory " + root + " lacks " + relative);
        }
        return p;
    }

    /** An optional file, relative to the model directory. */
    public Optional<Path> optional(String relative) {
        Path p = root.resolve(relative);
        return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
    }

    /** Parses a required JSON file; the error names the file. */
    public JsonNode json(String relative) {
        return parse(require(relative), relative);
    }

    /** Parses an optional JSON file. */
    public Optional<JsonNode> optionalJson(String relative) {
        return optional(relative).map(p -> parse(p, relative));
    }

    /** Reads a required text file as UTF-8. */
    public String text(String relative) {
        Path p = require(relative);
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidInputException(relative + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static JsonNode parse(Path p, String name) {
        try {
            JsonNode node = JSON.readTree(p.toFile());
            if (node == null || !node.isObject()) {
                throw new InvalidInputException(name + " does not hold a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new InvalidInputException(name + " is not valid JSON: " + firstLine(e.getMessage()), e);
        }
    }

    public static String firstLine(String message) {
        if (message == null) {
            return "(no message)";
        }
        int nl = message.indexOf('\n');
        return (nl < 0 ? message : message.substring(0, nl)).strip();
    }

    @Override
    public String toString() {
        return root.toString();
    }
}
