package io.github.eagle4j.evaluation.dataset;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.eagle4j.InvalidInputException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The {@code --manifest} of {@code eagle evaluate}: JSON Lines, one item per non-blank line. Paths are relative
 * to the manifest's folder. Fields:
 * <pre>
 *   id               optional  folder name of the item's results ([A-Za-z0-9._-], unique); default item-NNNN (line)
 *   image            required  image file
 *   prompt           required  the question or instruction
 *   answer           optional  the answer to explain (teacher-forced); default the model's greedy answer
 *   targets          optional  token indices [1, 2] or a word "red"; default every answer token
 *   targetOccurrence optional  with a word: which occurrence, 1-based (default 1)
 *   box              optional  ground-truth box [x1, y1, x2, y2], end-exclusive pixels
 *   mask             optional  ground-truth mask image (non-zero = object)
 *   label            optional  the correct answer word of a yes/no question: the item is diagnosed (§10)
 *   meta             optional  anything; carried along, not read
 * </pre>
 *
 * @param file   the manifest
 * @param items  the items in file order
 * @param sha256 hex digest of the file's bytes (identifies the manifest in settings checks)
 */
public record Manifest(Path file, List<Item> items, String sha256) {
    private static final Set<String> FIELDS = Set.of("id", "image", "prompt", "answer", "targets", "targetOccurrence",
            "box", "mask", "label", "meta");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * One manifest line.
     *
     * @param index            0-based position among the items (the shard key)
     * @param line             1-based line number in the file
     * @param id               folder name
     * @param image            resolved image path
     * @param prompt           prompt
     * @param answer           answer, or {@code null} for the model's own
     * @param targetIndices    explicit token indices, or {@code null}
     * @param targetWord       a word, or {@code null}
     * @param targetOccurrence which occurrence of the word (1-based)
     * @param box              {@code [x1, y1, x2, y2]}, or {@code null}
     * @param mask             resolved mask path, or {@code null}
     * @param label            correct answer word for diagnosis, or {@code null}
     */
    public record Item(int index, int line, String id, Path image, String prompt, String answer, List<Integer> targetIndices,
                       String targetWord, int targetOccurrence, int[] box, Path mask, String label) {
        /** True for a labelled yes/no item, which is diagnosed rather than only explained. */
        public boolean labelled() {
            return label != null;
        }
    }

    /**
     * Reads and validates a manifest; every image and mask must exist.
     *
     * @throws InvalidInputException naming the file and line of the first problem
     */
    public static Manifest read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException("--manifest " + file + ": no such file");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new InvalidInputException("--manifest " + file + ": cannot read it (" + e.getMessage() + ")");
        }
        Path base = file.toAbsolutePath().getParent();
        List<Item> items = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String text = lines[i].strip();
            if (text.isEmpty()) {
                continue;
            }
            Item item = parse(file, base, i + 1, items.size(), text);
            if (!ids.add(item.id())) {
                throw bad(file, i + 1, "id '" + item.id() + "' is used twice");
            }
            items.add(item);
        }
        if (items.isEmpty()) {
            throw new InvalidInputException("--manifest " + file + " has no items");
        }
        return new Manifest(file, List.copyOf(items), sha256(bytes));
    }

    private static Item parse(Path file, Path base, int line, int index, String text) {
        JsonNode node;
        try {
            node = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw bad(file, line, "not JSON (" + e.getOriginalMessage() + ")");
        }
        if (!(node instanceof ObjectNode obj)) {
            throw bad(file, line, "expected a JSON object");
        }
        for (Iterator<String> names = obj.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw bad(file, line, "unknown field '" + name + "' (known: id, image, prompt, answer, targets, "
                        + "targetOccurrence, box, mask, label, meta)");
            }
        }
        String id = optionalText(obj, "id", file, line);
        if (id == null) {
            id = String.format(Locale.ROOT, "item-%04d", line);
        } else if (!id.matches("[A-Za-z0-9._-]+") || id.startsWith(".")) {
            throw bad(file, line, "id '" + id + "' must be letters, digits, '.', '_' or '-' and not start with '.'");
        }
        String image = optionalText(obj, "image", file, line);
        if (image == null) {
            throw bad(file, line, "'image' is missing");
        }
        Path imagePath = existing(base, image, "image", file, line);
        String prompt = optionalText(obj, "prompt", file, line);
        if (prompt == null || prompt.isBlank()) {
            throw bad(file, line, "'prompt' is missing or empty");
        }
        String answer = optionalText(obj, "answer", file, line);
        List<Integer> indices = null;
        String word = null;
        JsonNode targets = obj.get("targets");
        if (targets != null && !targets.isNull()) {
            if (targets.isTextual()) {
                word = targets.asText();
                if (word.isBlank()) {
                    throw bad(file, line, "'targets' is an empty word");
                }
            } else if (targets.isArray() && !targets.isEmpty()) {
                indices = new ArrayList<>();
                for (JsonNode t : targets) {
                    if (!t.isInt() || t.asInt() < 0) {
                        throw bad(file, line, "'targets' must be non-negative token indices or a word, got " + targets);
                    }
                    indices.add(t.asInt());
                }
            } else {
                throw bad(file, line, "'targets' must be token indices [1, 2] or a word \"red\", got " + targets);
            }
        }
        int occurrence = 1;
        JsonNode occ = obj.get("targetOccurrence");
        if (occ != null && !occ.isNull()) {
            if (!occ.isInt() || occ.asInt() < 1 || word == null) {
                throw bad(file, line, "'targetOccurrence' must be a whole number ≥ 1 and needs a word in 'targets'");
            }
            occurrence = occ.asInt();
        }
        int[] box = null;
        JsonNode b = obj.get("box");
        if (b != null && !b.isNull()) {
            if (!b.isArray() || b.size() != 4) {
                throw bad(file, line, "'box' must be [x1, y1, x2, y2], got " + b);
            }
            box = new int[4];
            for (int k = 0; k < 4; k++) {
                if (!b.get(k).isNumber()) {
                    throw bad(file, line, "'box' must be [x1, y1, x2, y2], got " + b);
                }
                box[k] = (int) Math.floor(b.get(k).asDouble());
            }
            if (box[2] <= box[0] || box[3] <= box[1]) {
                throw bad(file, line, "'box' " + b + ": x2 must exceed x1 and y2 must exceed y1");
            }
        }
        String mask = optionalText(obj, "mask", file, line);
        Path maskPath = mask == null ? null : existing(base, mask, "mask", file, line);
        String label = optionalText(obj, "label", file, line);
        if (label != null && label.isBlank()) {
            throw bad(file, line, "'label' is empty");
        }
        return new Item(index, line, id, imagePath, prompt, answer, indices, word, occurrence, box, maskPath,
                label == null ? null : label.strip());
    }

    private static String optionalText(ObjectNode obj, String field, Path file, int line) {
        JsonNode n = obj.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw bad(file, line, "'" + field + "' must be a string, got " + n);
        }
        return n.asText();
    }

    private static Path existing(Path base, String relative, String field, Path file, int line) {
        Path p = base.resolve(relative).normalize();
        if (!Files.isRegularFile(p)) {
            throw bad(file, line, field + " '" + relative + "' does not exist (looked for " + p + ")");
        }
        return p;
    }

    private static InvalidInputException bad(Path file, int line, String what) {
        return new InvalidInputException("--manifest " + file + " line " + line + ": " + what);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The items of a shard: those whose index % count == index − 1; all items for {@code null}. */
    public List<Item> items(Shard shard) {
        return shard == null ? items : items.stream().filter(it -> it.index() % shard.count() == shard.index() - 1).toList();
    }

    /** The ids of all items, in file order. */
    public List<String> ids() {
        return items.stream().map(Item::id).toList();
    }
}
