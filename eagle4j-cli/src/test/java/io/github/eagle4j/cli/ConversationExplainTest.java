package io.github.eagle4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.eagle4j.imageio.ImageFiles;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.github.eagle4j.cli.ExplainCommandTest.eagle;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code eagle explain --conversation}: earlier turns and a system prompt reach the model through its chat template,
 * {@code --text-regions messages} gives one span per message with its role, explanation.json lists the conversation
 * (in the shipped schema) and the report shows every message; bad conversations are one line and exit 2.
 */
class ConversationExplainTest {
    private static final Path QWEN = Path.of("..", "fixtures", "models", "tiny-random-qwen2-vl");
    @TempDir
    Path dir;
    Path image;

    @BeforeEach
    void scene() throws IOException {
        image = dir.resolve("scene.png");
        ImageFiles.writePng(ShapeScene.render(7002).image(), image);
    }

    private Path file(String name, String json) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, json);
        return f;
    }

    private static JsonNode validated(Path out) throws IOException {
        JsonNode json = new ObjectMapper().readTree(out.resolve("explanation.json").toFile());
        try (InputStream in = ConversationExplainTest.class.getClassLoader()
                .getResourceAsStream(OutputSchemasTest.SCHEMAS + "explanation.schema.json")) {
            var schema = com.networknt.schema.SchemaRegistry.withDefaultDialect(
                    com.networknt.schema.SpecificationVersion.DRAFT_2020_12).getSchema(in);
            assertThat(schema.validate(json)).extracting(Object::toString).isEmpty();
        }
        return json;
    }

    private static List<String> spans(JsonNode json) {
        List<String> out = new ArrayList<>();
        json.get("textRegions").forEach(s -> out.add(s.get("message").asInt() + ":" + s.get("role").asText() + ":"
                + s.get("text").asText()));
        return out;
    }

    @Test
    void theFilesLastUserTurnIsTheQuestionAndEveryMessageIsASpan() throws IOException {
        Path conv = file("conv.json", """
                [{"role": "user", "content": "Is there a blue square?"},
                 {"role": "assistant", "content": "no"},
                 {"role": "user", "content": [{"type": "image"}, {"type": "text", "text": "Is there a red circle?"}]}]
                """);
        Path out = dir.resolve("out");
        ExplainCommandTest.Result r = eagle("explain", "--model", TextRegionsExplainTest.MODEL.toString(), "--image", image.toString(),
                "--conversation", conv.toString(), "--target-index", "0", "--grid", "2x2", "--text-regions", "messages",
                "--out", out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode json = validated(out);
        assertThat(json.get("prompt").asText()).isEqualTo("Is there a red circle?");
        assertThat(json.get("conversation")).hasSize(3);
        assertThat(json.get("conversation").get(1).get("role").asText()).isEqualTo("assistant");
        assertThat(spans(json)).containsExactly("0:user:Is there a blue square?", "1:assistant:no", "2:user:Is there a red circle?");
        assertThat(json.get("textOrder")).hasSize(3);
        String report = Files.readString(out.resolve("report.html"));
        assertThat(report).contains("class=\"trole\">assistant:</b>", ">Is there a blue square?</span>");
    }

    @Test
    void promptIsAppendedAsTheLastUserTurnOnAQwenTemplateWithASystemPrompt() throws IOException {
        Path conv = file("conv.json", """
                [{"role": "system", "content": "Answer yes or no."},
                 {"role": "user", "content": "What is in the picture?"},
                 {"role": "assistant", "content": "Shapes."}]
                """);
        Path out = dir.resolve("qwen");
        ExplainCommandTest.Result r = eagle("explain", "--model", QWEN.toString(), "--image", image.toString(),
                "--conversation", conv.toString(), "--prompt", "Is there a red circle?", "--answer", "yes",
                "--target-index", "0", "--grid", "2x2", "--text-regions", "messages", "--text-mask", "drop", "--out", out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode json = validated(out);
        assertThat(spans(json)).containsExactly("0:system:Answer yes or no.", "1:user:What is in the picture?",
                "2:assistant:Shapes.", "3:user:Is there a red circle?");
        assertThat(json.get("conversation").get(3).get("text").asText()).isEqualTo("Is there a red circle?");
    }

    @Test
    void badConversationsAreOneLineAndExitTwo() throws IOException {
        Path system = file("system.json", "[{\"role\": \"system\", \"content\": \"Be brief.\"}, {\"role\": \"user\", \"content\": \"Is there a red circle?\"}]");
        Path role = file("role.json", "[{\"role\": \"tool\", \"content\": \"x\"}, {\"role\": \"user\", \"content\": \"q\"}]");
        Path form = file("form.json", "{\"messages\": []}");
        Path part = file("part.json", "[{\"role\": \"user\", \"content\": [{\"type\": \"text\", \"txt\": \"q\"}]}]");
        Path empty = file("empty.json", "[{\"role\": \"user\", \"content\": [{\"type\": \"image\"}]}]");
        String[][] cases = {
            {"--conversation", system.toString()},
            {"--conversation", role.toString()},
            {"--conversation", form.toString()},
            {"--conversation", part.toString()},
            {"--conversation", empty.toString(), "--text-regions", "messages"},
            {"--conversation", role.toString(), "--prompt", " "},
            {"--grid", "2x2"},
        };
        String[] expected = {
            system + ": the model cannot take this conversation: chat template (chat_template.jinja) failed: "
                + "raise_exception('Only user and assistant roles are supported')",
            role + ": $[0].role 'tool' is not a role of system, user, assistant",
            form + ": $ is not a non-empty JSON array of messages",
            part + ": $[0].content[0].text is missing or not a string",
            empty + ": $[0].content has no text: the question (the last user turn) is empty",
            "--prompt is empty",
            "Missing required option: '--prompt=TEXT' (or --conversation FILE.json)",
        };
        for (int i = 0; i < cases.length; i++) {
            List<String> args = new ArrayList<>(List.of("explain", "--model", TextRegionsExplainTest.MODEL.toString(),
                    "--image", image.toString(), "--answer", "yes", "--grid", "2x2", "--out", dir.resolve("bad" + i).toString()));
            args.addAll(List.of(cases[i]));
            ExplainCommandTest.Result r = eagle(args.toArray(String[]::new));
            assertThat(r.status()).as(String.join(" ", cases[i]) + ": " + r.err()).isEqualTo(2);
            assertThat(r.err().strip()).startsWith("eagle explain: " + expected[i]).hasLineCount(1);
        }
    }

    @Test
    void anEvaluateItemWhoseConversationTheTemplateCannotRenderIsOneLineNamingTheItem() throws IOException {
        Path manifest = file("m.jsonl", "{\"id\": \"sys\", \"image\": " + new ObjectMapper().writeValueAsString(image.toString())
                + ", \"answer\": \"yes\", \"conversation\": [{\"role\": \"system\", \"content\": \"Be brief.\"}, "
                + "{\"role\": \"user\", \"content\": \"Is there a red circle?\"}]}\n");
        ExplainCommandTest.Result r = eagle("evaluate", "--model", TextRegionsExplainTest.MODEL.toString(), "--manifest",
                manifest.toString(), "--grid", "2x2", "--out", dir.resolve("eval").toString());
        assertThat(r.status()).as(r.err()).isEqualTo(2);
        // the progress line, then the one line of the error
        assertThat(r.err().strip().lines().toList()).last().isEqualTo("eagle evaluate: manifest line 1 (sys): 'conversation': the"
                + " model cannot take it: chat template (chat_template.jinja) failed: raise_exception('Only user and assistant"
                + " roles are supported')");
    }
}
