package io.github.eagle4j.evaluation.dataset;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.eagle4j.InvalidInputException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * Properties of the manifest parser over generated manifests: valid items read back exactly whatever the line
 * endings and blank lines; any tampering with one line is refused naming that line; arbitrary bytes give a manifest
 * or one {@link InvalidInputException}, nothing else.
 */
class ManifestPropertiesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path dir;

    @BeforeContainer
    static void image() throws IOException {
        dir = Files.createTempDirectory("eagle4j-manifest-properties");
        ManifestTest.writeImage(dir);
    }

    @AfterContainer
    static void remove() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** One generated item: what its JSON says and what the parser must read from it. */
    record Spec(String id, String prompt, String answer, String word, int occurrence, int[] box, String json) {
    }

    @Provide
    Arbitrary<List<Spec>> items() {
        Arbitrary<String> text = Arbitraries.strings().all().ofMinLength(1).ofMaxLength(40)
                .filter(s -> !s.isBlank() && validUtf16(s));
        Arbitrary<String> maybe = Arbitraries.oneOf(Arbitraries.just(null), text);
        Arbitrary<String> word = Arbitraries.oneOf(Arbitraries.just(null), Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8));
        Arbitrary<int[]> box = Arbitraries.oneOf(Arbitraries.just(null), Combinators.combine(
                Arbitraries.integers().between(0, 62), Arbitraries.integers().between(0, 46),
                Arbitraries.integers().between(1, 64), Arbitraries.integers().between(1, 48))
                .as((x, y, w, h) -> new int[]{x, y, Math.min(64, x + w), Math.min(48, y + h)}));
        Arbitrary<Spec> item = Combinators.combine(text, maybe, word, Arbitraries.integers().between(1, 3), box)
                .as((prompt, answer, w, occ, b) -> new Spec(null, prompt, answer, w, w == null ? 1 : occ, b, null));
        return item.list().ofMinSize(1).ofMaxSize(6).map(ManifestPropertiesTest::withIdsAndJson);
    }

    private static boolean validUtf16(String s) {
        return StandardCharsets.UTF_8.newEncoder().canEncode(s);
    }

    private static List<Spec> withIdsAndJson(List<Spec> specs) {
        List<Spec> out = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            Spec s = specs.get(i);
            String id = "it-" + i;
            ObjectNode o = JSON.createObjectNode();
            o.put("id", id);
            o.put("image", "img.png");
            o.put("prompt", s.prompt());
            if (s.answer() != null) {
                o.put("answer", s.answer());
            }
            if (s.word() != null) {
                o.put("targets", s.word());
                o.put("targetOccurrence", s.occurrence());
            }
            if (s.box() != null) {
                var b = o.putArray("box");
                for (int v : s.box()) {
                    b.add(v);
                }
            }
            out.add(new Spec(id, s.prompt(), s.answer(), s.word(), s.occurrence(), s.box(), o.toString()));
        }
        return out;
    }

    @Provide
    Arbitrary<String> lineEnding() {
        return Arbitraries.of("\n", "\r\n");
    }

    private static Manifest parse(String text) {
        return Manifest.parse(dir.resolve("m.jsonl"), text.getBytes(StandardCharsets.UTF_8));
    }

    @Property(seed = "20261203") // the same tries on every run; -Djqwik.tries.default=N searches further
    void validItemsReadBackExactly(@ForAll("items") List<Spec> specs, @ForAll("lineEnding") String eol,
                                   @ForAll boolean blankLines, @ForAll boolean finalNewline) {
        StringBuilder text = new StringBuilder();
        List<Integer> lines = new ArrayList<>();
        int line = 0;
        for (int i = 0; i < specs.size(); i++) {
            if (blankLines) {
                text.append("   ").append(eol);
                line++;
            }
            text.append(specs.get(i).json());
            lines.add(++line);
            if (i < specs.size() - 1 || finalNewline) {
                text.append(eol);
            }
        }
        Manifest m = parse(text.toString());
        assertThat(m.items()).hasSize(specs.size());
        for (int i = 0; i < specs.size(); i++) {
            Spec s = specs.get(i);
            Manifest.Item it = m.items().get(i);
            assertThat(it.id()).isEqualTo(s.id());
            assertThat(it.index()).isEqualTo(i);
            assertThat(it.line()).isEqualTo(lines.get(i));
            assertThat(it.prompt()).isEqualTo(s.prompt());
            assertThat(it.answer()).isEqualTo(s.answer());
            assertThat(it.targetWord()).isEqualTo(s.word());
            assertThat(it.targetOccurrence()).isEqualTo(s.occurrence());
            assertThat(it.box()).isEqualTo(s.box());
        }
    }

    @Property(seed = "20261203") // the same tries on every run; -Djqwik.tries.default=N searches further
    void textAfterAnyLinesObjectIsRefusedNamingThatLine(@ForAll("items") List<Spec> specs,
                                                        @ForAll("lineEnding") String eol,
                                                        @ForAll("tail") String tail, @ForAll int pick) {
        int bad = Math.floorMod(pick, specs.size());
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < specs.size(); i++) {
            text.append(specs.get(i).json());
            if (i == bad) {
                text.append(tail);
            }
            text.append(eol);
        }
        assertThatThrownBy(() -> parse(text.toString())).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("line " + (bad + 1) + ":");
    }

    @Provide
    Arbitrary<String> tail() {
        Arbitrary<String> garbage = Arbitraries.strings().all().ofMinLength(1).ofMaxLength(10)
                .filter(s -> !s.isBlank() && s.indexOf('\n') < 0 && ManifestPropertiesTest.validUtf16(s));
        return Arbitraries.oneOf(garbage, Arbitraries.just(" {}"), Arbitraries.just("{\"id\": \"x\"}"),
                Arbitraries.just("\rx"), Arbitraries.just(","));
    }

    @Property(seed = "20261203") // the same tries on every run; -Djqwik.tries.default=N searches further
    void crOnlyLineEndingsAreRefusedOnTheFirstLine(@ForAll("items") List<Spec> specs) {
        if (specs.size() < 2) {
            return;
        }
        String text = String.join("\r", specs.stream().map(Spec::json).toList());
        assertThatThrownBy(() -> parse(text)).isInstanceOf(InvalidInputException.class).hasMessageContaining("line 1:");
    }

    @Property(seed = "20261203") // the same tries on every run; -Djqwik.tries.default=N searches further
    void anyTextInAnyFieldGivesAManifestOrOneBadInputLine(@ForAll("fieldName") String field, @ForAll String value) {
        ObjectNode o = JSON.createObjectNode();
        o.put("image", "img.png");
        o.put("prompt", "Describe the image.");
        o.put(field, value);
        try {
            parse(o.toString());
        } catch (InvalidInputException e) {
            assertThat(e.getMessage()).startsWith("manifest ").doesNotContain("\n", "\r", "\u001b", "\u202e");
        }
    }

    @Provide
    Arbitrary<String> fieldName() {
        return Arbitraries.oneOf(Arbitraries.of("id", "image", "prompt", "answer", "targets", "label", "mask"),
                Arbitraries.strings().all().ofMaxLength(12));
    }

    @Property(seed = "20261203") // the same tries on every run; -Djqwik.tries.default=N searches further
    void arbitraryBytesGiveAManifestOrOneBadInputLine(@ForAll byte[] bytes) {
        try {
            Manifest.parse(dir.resolve("m.jsonl"), bytes);
        } catch (InvalidInputException e) {
            assertThat(e.getMessage()).startsWith("manifest ").doesNotContain("\n");
        } catch (RuntimeException e) {
            fail("not a bad-input error: " + e, e);
        }
    }
}
