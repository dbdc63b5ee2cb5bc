package io.github.eagle4j.evaluation.dataset;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.eagle4j.InvalidInputException;
import io.github.eagle4j.evaluation.input.ConversationFile;
import io.github.eagle4j.text.Conversation;
import io.github.eagle4j.text.SpanMode;
import io.github.eagle4j.text.TextMask;
import io.github.eagle4j.text.TextRegionOptions;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code --manifest} of {@code eagle evaluate}: JSON Lines (LF or CRLF, UTF-8), exactly one JSON object per
 * non-blank line, read strictly (see {@link #parse}). Paths are relative to the manifest's folder. Fields:
 * <pre>
 *   id               optional  folder name of the item's results ([A-Za-z0-9._-], unique, at most 200 characters);
 *                              default item-NNNN (line)
 *   image            required  image file (or images)
 *   images           instead of image: two or more image files, in prompt order, for a prompt with several images
 *                              (docs/frames.md); box and mask are then on the canvas of the images side by side
 *   video            instead of image: a video file (H.264 in MP4/MOV) or a folder of frames, sampled as the model's
 *                              video processor samples it (docs/frames.md); not with box, mask or textRegions
 *   videoFps         optional  with video: frames per second to sample (a folder: the frames' own rate)
 *   videoFrames      optional  with video: take this many frames spread evenly; not with videoFps
 *   prompt           required  the question or instruction (optional with a conversation whose last message is the
 *                              question)
 *   conversation     optional  the messages before the question, role/content form (docs/text.md, conversations): a
 *                              file path or the array itself; with 'prompt' the prompt is appended as the last user
 *                              turn, else the conversation's last user turn is the question
 *   textRegions      optional  {"mode": "words"|"sentences"|"messages", "mask": "pad"|"drop", "joint": true|false}:
 *                              also order the prompt's spans (and with joint, regions and spans together); not with
 *                              label
 *   answer           optional  the answer to explain (teacher-forced, not empty); default the model's greedy answer
 *   targets          optional  token indices [1, 2] or a word "red"; default every answer token
 *   targetOccurrence optional  with a word: which occurrence, 1-based (default 1)
 *   box              optional  ground-truth box [x1, y1, x2, y2], end-exclusive pixels, inside the image
 *   mask             optional  ground-truth mask image (non-zero = object)
 *   label            optional  the correct answer word of a yes/no question: the item is diagnosed (§10); not with
 *                              answer, targets or targetOccurrence
 *   meta             optional  anything; carried along, not read
 * </pre>
 *
 * @param file   the manifest
 * @param items  the items in file order
 * @param sha256 hex digest of the file's bytes (identifies the manifest in settings checks)
 */
public record Manifest(Path file, List<Item> items, String sha256) {
    private static final Set<String> FIELDS = Set.of("id", "image", "images", "prompt", "answer", "targets", "targetOccurrence",
            "box", "mask", "label", "meta", "conversation", "textRegions", "video", "videoFps", "videoFrames");
    /** Longest item id: the staging folder's name adds 30 characters, and file names may have 255 bytes. */
    public static final int MAX_ID_LENGTH = 200;
    private static final JsonFactory JSON = JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private static final ObjectMapper MAPPER = new ObjectMapper(JSON);

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
     * @param images           every image of the prompt, in order ({@code image} first); one for a one-image item
     * @param conversation     the question and the messages before it (no history without a conversation)
     * @param textRegions      the text regions asked for, or {@code null}
     * @param video            the video the prompt holds instead of images, or {@code null} ({@code image} is then
     *                         {@code null} and {@code images} empty)
     */
    public record Item(int index, int line, String id, Path image, String prompt, String answer, List<Integer> targetIndices,
                       String targetWord, int targetOccurrence, int[] box, Path mask, String label, List<Path> images,
                       Conversation conversation, TextRegionOptions textRegions, Video video) {
        public Item {
            images = video != null ? List.of() : images == null ? List.of(image) : List.copyOf(images);
            conversation = conversation == null ? Conversation.of(prompt) : conversation;
        }

        /** True when the prompt holds a video. */
        public boolean hasVideo() {
            return video != null;
        }

        /** True when the prompt has several images. */
        public boolean severalImages() {
            return images.size() > 1;
        }

        /** True for a labelled yes/no item, which is diagnosed rather than only explained. */
        public boolean labelled() {
            return label != null;
        }
    }

    /**
     * An item's video: a file or a folder of frames, and how to sample it (docs/frames.md).
     *
     * @param path   the video file or the folder of frames
     * @param frames a frame count to take ({@code videoFrames}), or {@code null} for the model's default
     * @param fps    a rate ({@code videoFps}; a folder's own rate), or {@code null} for the default
     */
    public record Video(Path path, Integer frames, Double fps) {
    }

    /** The API name of the manifest file in messages ({@link InvalidInputException#input()}). */
    public static final String FILE = "manifest";

    /**
     * Reads and validates a manifest; every image and mask must exist.
     *
     * @throws InvalidInputException naming the file and line of the first problem
     */
    public static Manifest read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw InvalidInputException.forInput(FILE, " " + file + ": no such file");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw InvalidInputException.forInput(FILE, " " + file + ": cannot read it (" + e.getMessage() + ")");
        }
        return parse(file, bytes);
    }

    /**
     * Parses manifest bytes as if read from {@code file} (images and masks are resolved beside it and must exist).
     * Lines end with LF or CRLF; each non-blank line is exactly one JSON object in UTF-8 (a byte-order mark before
     * the first line is allowed). Anything else is refused with the line number: a CR elsewhere (CR-only line
     * endings), text after the object, invalid UTF-8, a field given twice, an unknown field or a bad value.
     *
     * @throws InvalidInputException naming the file, the line and the field of the first problem
     */
    public static Manifest parse(Path file, byte[] bytes) {
        Path base = file.toAbsolutePath().getParent();
        List<Item> items = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        Map<String, String> folded = new HashMap<>();
        int start = bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF
                ? 3 : 0;
        int line = 0;
        for (int pos = start; pos <= bytes.length; ) {
            line++;
            int newline = pos;
            while (newline < bytes.length && bytes[newline] != '\n') {
                newline++;
            }
            int end = newline > pos && bytes[newline - 1] == '\r' ? newline - 1 : newline;
            for (int k = pos; k < end; k++) {
                if (bytes[k] == '\r') {
                    throw bad(file, line, "a carriage return (CR) inside the line; lines must end with LF or CRLF "
                            + "(CR-only line endings are not read)");
                }
            }
            String text = decode(file, line, bytes, pos, end).strip();
            if (!text.isEmpty()) {
                Item item = parse(file, base, line, items.size(), text);
                if (!ids.add(item.id())) {
                    throw bad(file, line, "id '" + item.id() + "' is used twice");
                }
                // folders of ids that differ only in case are one folder on macOS and Windows
                String other = folded.putIfAbsent(item.id().toLowerCase(Locale.ROOT), item.id());
                if (other != null) {
                    throw bad(file, line, "id '" + item.id() + "' differs from id '" + other + "' only in case "
                            + "(one folder on case-insensitive file systems)");
                }
                items.add(item);
            }
            pos = newline + 1;
        }
        if (items.isEmpty()) {
            throw InvalidInputException.forInput(FILE, " " + file + " has no items");
        }
        return new Manifest(file, List.copyOf(items), sha256(bytes));
    }

    /** The line's text; invalid UTF-8 is refused rather than read as U+FFFD. */
    private static String decode(Path file, int line, byte[] bytes, int from, int to) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, from, to - from);
        CharBuffer out = CharBuffer.allocate(to - from);
        CoderResult r = decoder.decode(in, out, true);
        if (!r.isError()) {
            r = decoder.flush(out);
        }
        if (r.isError()) {
            throw bad(file, line, String.format(Locale.ROOT, "not valid UTF-8 (byte %d of the line)", in.position() - from + 1));
        }
        return out.flip().toString();
    }

    private static Item parse(Path file, Path base, int line, int index, String text) {
        JsonNode node;
        try (JsonParser parser = JSON.createParser(text)) {
            node = MAPPER.readTree(parser);
            JsonToken after;
            try {
                after = parser.nextToken();
            } catch (JsonProcessingException e) {
                after = JsonToken.NOT_AVAILABLE;
            }
            if (after != null) {
                throw bad(file, line, "text after the JSON object (column " + parser.currentTokenLocation().getColumnNr()
                        + "); one item per line");
            }
        } catch (JsonProcessingException e) {
            String m = e.getOriginalMessage();
            if (m != null && m.startsWith("Duplicate field '")) {
                throw bad(file, line, "field '" + m.substring(17, m.indexOf('\'', 17)) + "' is given twice");
            }
            throw bad(file, line, "not JSON (" + m + ")");
        } catch (IOException e) {
            throw new IllegalStateException(e); // reading a String does no I/O
        }
        if (!(node instanceof ObjectNode obj)) {
            throw bad(file, line, "expected a JSON object");
        }
        for (Iterator<String> names = obj.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw bad(file, line, "unknown field '" + name + "' (known: id, image, images, video, videoFps, videoFrames, "
                        + "prompt, answer, targets, targetOccurrence, box, mask, label, conversation, textRegions, meta)");
            }
        }
        String id = optionalText(obj, "id", file, line);
        if (id == null) {
            id = String.format(Locale.ROOT, "item-%04d", line);
        } else if (!id.matches("[A-Za-z0-9._-]+") || id.startsWith(".")) {
            throw bad(file, line, "id '" + id + "' must be letters, digits, '.', '_' or '-' and not start with '.'");
        } else if (id.length() > MAX_ID_LENGTH) {
            throw bad(file, line, "'id' is " + id.length() + " characters long; at most " + MAX_ID_LENGTH
                    + " (it names the item's folder, and file names are limited to 255 bytes)");
        }
        String image = optionalText(obj, "image", file, line);
        List<Path> imagePaths = images(obj, base, file, line);
        Video video = video(obj, base, file, line);
        if (image != null && imagePaths != null) {
            throw bad(file, line, "give 'image' or 'images', not both");
        }
        if (video != null && (image != null || imagePaths != null)) {
            throw bad(file, line, "give 'video' or '" + (image != null ? "image" : "images") + "', not both");
        }
        if (image == null && imagePaths == null && video == null) {
            throw bad(file, line, "'image' is missing");
        }
        if (video != null) {
            for (String other : List.of("box", "mask", "textRegions")) {
                if (obj.get(other) != null && !obj.get(other).isNull()) {
                    throw bad(file, line, "'" + other + "' cannot be combined with 'video' (the canvas of sampled frames "
                            + "depends on the model's video processor)");
                }
            }
        }
        Path imagePath = video != null ? null : image != null ? existing(base, image, "image", file, line) : imagePaths.get(0);
        String prompt = optionalText(obj, "prompt", file, line);
        JsonNode conversationNode = obj.get("conversation");
        boolean hasConversation = conversationNode != null && !conversationNode.isNull();
        if (prompt == null ? !hasConversation : prompt.isBlank()) {
            throw bad(file, line, "'prompt' is missing or empty");
        }
        Conversation conversation = hasConversation ? conversation(conversationNode, prompt, base, file, line)
                : Conversation.of(prompt);
        prompt = conversation.prompt();
        TextRegionOptions textRegions = textRegions(obj.get("textRegions"), file, line);
        if (textRegions != null && obj.get("label") != null && !obj.get("label").isNull()) {
            throw bad(file, line, "'textRegions' cannot be combined with 'label' (a diagnosed item explains the image only)");
        }
        JsonNode labelNode = obj.get("label");
        if (labelNode != null && !labelNode.isNull()) {
            for (String other : List.of("answer", "targets", "targetOccurrence")) {
                if (obj.get(other) != null && !obj.get(other).isNull()) {
                    throw bad(file, line, "'label' (a diagnosed yes/no item, whose target is the label's token) cannot "
                            + "be combined with '" + other + "'");
                }
            }
        }
        String answer = optionalText(obj, "answer", file, line);
        if (answer != null && answer.isBlank()) {
            throw bad(file, line, "'answer' is empty (leave it out to explain the model's own answer)");
        }
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
            int[] size = imagePaths == null ? imageSize(imagePath) : canvasSize(imagePaths);
            if (size != null && (box[0] < 0 || box[1] < 0 || box[2] > size[0] || box[3] > size[1])) {
                throw bad(file, line, "'box' " + b + " is not inside the " + size[0] + "x" + size[1]
                        + (imagePaths == null ? " image" : " canvas of the images side by side")
                        + " (0 <= x1 < x2 <= width, 0 <= y1 < y2 <= height)");
            }
        }
        String mask = optionalText(obj, "mask", file, line);
        Path maskPath = mask == null ? null : existing(base, mask, "mask", file, line);
        String label = optionalText(obj, "label", file, line);
        if (label != null && label.isBlank()) {
            throw bad(file, line, "'label' is empty");
        }
        return new Item(index, line, id, imagePath, prompt, answer, indices, word, occurrence, box, maskPath,
                label == null ? null : label.strip(), imagePaths, conversation, textRegions, video);
    }

    /** The item's conversation: a file beside the manifest or the array itself, read as {@link ConversationFile} reads. */
    private static Conversation conversation(JsonNode n, String prompt, Path base, Path file, int line) {
        try {
            if (n.isTextual()) {
                return ConversationFile.read(existing(base, n.asText(), "conversation", file, line), prompt);
            }
            if (n.isArray()) {
                return ConversationFile.parse(n, "'conversation'", prompt);
            }
        } catch (InvalidInputException e) {
            throw FILE.equals(e.input()) ? e : bad(file, line, e.getMessage());
        }
        throw bad(file, line, "'conversation' must be a file name or an array of messages {\"role\", \"content\"}, got " + n);
    }

    /** {@code {"mode", "mask", "joint"}}, or {@code null} when the field is absent. */
    private static TextRegionOptions textRegions(JsonNode n, Path file, int line) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isObject()) {
            throw bad(file, line, "'textRegions' must be an object {\"mode\": \"words\", \"mask\": \"pad\", \"joint\": false}, got " + n);
        }
        for (Iterator<String> names = n.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!Set.of("mode", "mask", "joint").contains(name)) {
                throw bad(file, line, "'textRegions' has an unknown field '" + name + "' (known: mode, mask, joint)");
            }
        }
        JsonNode mode = n.get("mode");
        JsonNode mask = n.get("mask");
        JsonNode joint = n.get("joint");
        if (mode == null || !mode.isTextual()) {
            throw bad(file, line, "'textRegions' mode must be one of words, sentences, messages, got " + mode);
        }
        if (mask != null && !mask.isNull() && !mask.isTextual()) {
            throw bad(file, line, "'textRegions' mask must be pad or drop, got " + mask);
        }
        if (joint != null && !joint.isNull() && !joint.isBoolean()) {
            throw bad(file, line, "'textRegions' joint must be true or false, got " + joint);
        }
        try {
            return new TextRegionOptions(SpanMode.parse(mode.asText()),
                    mask == null || mask.isNull() ? TextRegionOptions.DEFAULT_MASK : TextMask.parse(mask.asText()),
                    joint != null && joint.asBoolean());
        } catch (IllegalArgumentException e) {
            // "text regions 'x' is not one of ..." / "text mask 'x' is not one of ..."
            throw bad(file, line, "'textRegions' " + e.getMessage().replace("text regions ", "mode ").replace("text mask ", "mask "));
        }
    }

    /** The {@code video} field with {@code videoFps} and {@code videoFrames}: null when absent. */
    private static Video video(ObjectNode obj, Path base, Path file, int line) {
        JsonNode fpsNode = obj.get("videoFps");
        JsonNode framesNode = obj.get("videoFrames");
        boolean hasFps = fpsNode != null && !fpsNode.isNull();
        boolean hasFrames = framesNode != null && !framesNode.isNull();
        String video = optionalText(obj, "video", file, line);
        if (video == null) {
            if (hasFps || hasFrames) {
                throw bad(file, line, "'" + (hasFps ? "videoFps" : "videoFrames") + "' needs 'video'");
            }
            return null;
        }
        if (hasFps && hasFrames) {
            throw bad(file, line, "give 'videoFps' or 'videoFrames', not both");
        }
        Double fps = null;
        if (hasFps) {
            if (!fpsNode.isNumber() || !(fpsNode.asDouble() > 0) || fpsNode.asDouble() >= 1e6) {
                throw bad(file, line, "'videoFps' must be a positive number of frames per second, got " + fpsNode);
            }
            fps = fpsNode.asDouble();
        }
        Integer frames = null;
        if (hasFrames) {
            if (!framesNode.isInt() || framesNode.asInt() < 1) {
                throw bad(file, line, "'videoFrames' must be a whole number ≥ 1, got " + framesNode);
            }
            frames = framesNode.asInt();
        }
        Path p;
        try {
            p = base.resolve(video).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            throw bad(file, line, "'video' '" + video + "' is not a valid path (" + e.getReason() + ")");
        }
        if (!Files.exists(p)) {
            throw bad(file, line, "video '" + video + "' does not exist (looked for " + p + ")");
        }
        return new Video(p, frames, fps);
    }

    /** The {@code images} field: null when absent, else two or more existing files. */
    private static List<Path> images(ObjectNode obj, Path base, Path file, int line) {
        JsonNode n = obj.get("images");
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isArray() || n.size() < 2) {
            throw bad(file, line, "'images' must be a list of two or more image files (one image: use 'image'), got " + n);
        }
        List<Path> out = new ArrayList<>();
        for (int k = 0; k < n.size(); k++) {
            if (!n.get(k).isTextual() || n.get(k).asText().isBlank()) {
                throw bad(file, line, "'images' entry " + k + " must be a file name, got " + n.get(k));
            }
            out.add(existing(base, n.get(k).asText(), "images[" + k + "]", file, line));
        }
        return out;
    }

    /** The canvas of images side by side (widths summed, the highest height), or null when a size is unknown. */
    private static int[] canvasSize(List<Path> images) {
        int width = 0;
        int height = 0;
        for (Path p : images) {
            int[] s = imageSize(p);
            if (s == null) {
                return null;
            }
            width += s[0];
            height = Math.max(height, s[1]);
        }
        return new int[] {width, height};
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
        Path p;
        try {
            p = base.resolve(relative).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            throw bad(file, line, "'" + field + "' '" + relative + "' is not a valid path (" + e.getReason() + ")");
        }
        if (!Files.isRegularFile(p)) {
            throw bad(file, line, field + " '" + relative + "' does not exist (looked for " + p + ")");
        }
        return p;
    }

    /** Width and height from the image file's header, or {@code null} when no reader knows it (decoding will say). */
    private static int[] imageSize(Path image) {
        try (ImageInputStream in = ImageIO.createImageInputStream(image.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                return null;
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                return new int[]{reader.getWidth(0), reader.getHeight(0)};
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static InvalidInputException bad(Path file, int line, String what) {
        return InvalidInputException.forInput(FILE, " " + file + " line " + line + ": " + visible(what));
    }

    /**
     * The message with the manifest's own text made harmless for a terminal: control characters (a newline in a
     * field name, ESC) and bidirectional overrides are written as a backslash, u and four hex digits, so a message stays one line that
     * shows what the file holds.
     */
    static String visible(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            boolean hidden = Character.isISOControl(c) || c == 0x2028 || c == 0x2029 || (c >= 0x202A && c <= 0x202E)
                    || (c >= 0x2066 && c <= 0x2069) || c == 0x200E || c == 0x200F || c == 0x061C;
            if (hidden) {
                sb.append(String.format(Locale.ROOT, "\\u%04X", c));
            } else {
                sb.appendCodePoint(c);
            }
        });
        return sb.toString();
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
