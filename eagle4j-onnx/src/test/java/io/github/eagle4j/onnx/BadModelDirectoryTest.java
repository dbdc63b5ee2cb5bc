package io.github.eagle4j.onnx;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.eagle4j.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A bad model directory fails at open with an InvalidInputException naming the file or field. */
class BadModelDirectoryTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /** A copy of the fp32 model (precision variants left out, so a missing fp32 file is not replaced by one). */
    private Path copy() {
        Path src = Goldens.main().modelDir;
        Path dst = tmp.resolve("model");
        try (Stream<Path> files = Files.walk(src)) {
            for (Path p : files.toList()) {
                if (p.getFileName().toString().matches(".*_(fp16|int8|uint8|quantized|q4|q4f16|bnb4)\\.onnx")) {
                    continue;
                }
                Path t = dst.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dst;
    }

    private static void editJson(Path file, Consumer<ObjectNode> edit) {
        try {
            ObjectNode n = (ObjectNode) JSON.readTree(file.toFile());
            edit.accept(n);
            JSON.writeValue(file.toFile(), n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void assertOpenFails(Path dir, String... fragments) {
        var a = assertThatThrownBy(() -> OnnxModel.open(dir).close()).isInstanceOf(InvalidInputException.class);
        for (String f : fragments) {
            a.hasMessageContaining(f);
        }
        a.satisfies(e -> org.assertj.core.api.Assertions.assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"config.json", "tokenizer.json", "tokenizer_config.json", "preprocessor_config.json",
            "onnx/vision_encoder.onnx", "onnx/embed_tokens.onnx", "onnx/decoder_model_merged.onnx"})
    void missingFile(String file) throws IOException {
        Path dir = copy();
        Files.delete(dir.resolve(file));
        assertOpenFails(dir, file);
    }

    @Test
    void notADirectory() {
        assertOpenFails(tmp.resolve("nothing-here"), "nothing-here");
    }

    @Test
    void decoderReplacedByTheEmbeddingGraph() throws IOException {
        Path dir = copy();
        Files.copy(dir.resolve("onnx/embed_tokens.onnx"), dir.resolve("onnx/decoder_model_merged.onnx"), StandardCopyOption.REPLACE_EXISTING);
        assertOpenFails(dir, "decoder_model_merged.onnx", "inputs_embeds");
    }

    @Test
    void visionEncoderReplacedByTheEmbeddingGraph() throws IOException {
        Path dir = copy();
        Files.copy(dir.resolve("onnx/embed_tokens.onnx"), dir.resolve("onnx/vision_encoder.onnx"), StandardCopyOption.REPLACE_EXISTING);
        assertOpenFails(dir, "vision_encoder.onnx", "pixel_values");
    }

    @Test
    void truncatedOnnxFile() throws IOException {
        Path dir = copy();
        Path f = dir.resolve("onnx/decoder_model_merged.onnx");
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() / 3);
        }
        assertOpenFails(dir, "onnx/decoder_model_merged.onnx");
    }

    @Test
    void configVocabularyDiffersFromTheLogits() {
        Path dir = copy();
        editJson(dir.resolve("config.json"), c -> ((ObjectNode) c.get("text_config")).put("vocab_size", 20));
        assertOpenFails(dir, "config.json", "text_config.vocab_size");
    }

    @Test
    void tokenizerLargerThanTheModelVocabulary() {
        Path dir = copy();
        editJson(dir.resolve("tokenizer.json"), t -> ((ObjectNode) t.get("model").get("vocab")).put("zebra", 40));
        assertOpenFails(dir, "tokenizer.json", "40");
    }

    @Test
    void imageTokenIsNotTheTokenizersImageToken() {
        Path dir = copy();
        editJson(dir.resolve("config.json"), c -> c.put("image_token_index", 27));
        assertOpenFails(dir, "config.json", "image_token_index");
    }

    @Test
    void imageTokenOutsideTheVocabulary() {
        Path dir = copy();
        editJson(dir.resolve("config.json"), c -> c.put("image_token_index", 99));
        assertOpenFails(dir, "config.json", "image_token_index");
    }

    @Test
    void hiddenSizeDiffersFromTheGraphs() {
        Path dir = copy();
        editJson(dir.resolve("config.json"), c -> ((ObjectNode) c.get("text_config")).put("hidden_size", 64));
        assertOpenFails(dir, "hidden_size");
    }

    @Test
    void layerCountDiffersFromTheGraphs() {
        Path dir = copy();
        editJson(dir.resolve("config.json"), c -> ((ObjectNode) c.get("text_config")).put("num_hidden_layers", 4));
        assertOpenFails(dir, "config.json", "num_hidden_layers");
    }

    @Test
    void unknownImageProcessor() {
        Path dir = copy();
        editJson(dir.resolve("preprocessor_config.json"), c -> c.put("image_processor_type", "BlipImageProcessor"));
        assertOpenFails(dir, "preprocessor_config.json", "BlipImageProcessor", "CLIPImageProcessor");
    }

    @Test
    void cropSizeDiffersFromTheVisionEncoder() {
        Path dir = copy();
        editJson(dir.resolve("preprocessor_config.json"), c -> {
            c.putObject("crop_size").put("height", 48).put("width", 48);
            c.putObject("size").put("shortest_edge", 48);
        });
        assertOpenFails(dir, "preprocessor_config.json", "vision_encoder.onnx");
    }

    @Test
    void unknownModelType() {
        Path dir = copy();
        editJson(dir.resolve("config.json"), c -> c.put("model_type", "mllama"));
        assertOpenFails(dir, "config.json", "model_type", "mllama", "llava");
    }

    @Test
    void missingConfigField() {
        Path dir = copy();
        editJson(dir.resolve("config.json"), c -> ((ObjectNode) c.get("text_config")).remove("hidden_size"));
        assertOpenFails(dir, "config.json", "text_config.hidden_size");
    }

    @Test
    void brokenJson() throws IOException {
        Path dir = copy();
        Files.writeString(dir.resolve("preprocessor_config.json"), "{\"image_processor_type\": ");
        assertOpenFails(dir, "preprocessor_config.json", "not valid JSON");
    }

    @Test
    void brokenChatTemplate() throws IOException {
        Path dir = copy();
        Files.writeString(dir.resolve("chat_template.jinja"), "{{ bos_token }}{% if %}");
        assertOpenFails(dir, "chat_template.jinja");
    }
}
