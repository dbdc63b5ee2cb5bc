package io.github.eagle4j;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The repository's documentation holds together: the README stays short, nothing refers to files a clone does not
 * have, every {@code §N} a source cites is a section of docs/method.md, and every relative link in README.md and
 * docs/*.md reaches an existing file (and heading, where it names one).
 */
class RepositoryDocsTest {
    /** Maven runs a module's tests in the module folder; the repository is its parent. */
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path README = ROOT.resolve("README.md");
    private static final Path DOCS = ROOT.resolve("docs");
    private static final Path METHOD = DOCS.resolve("method.md");
    private static final long README_LIMIT = 12 * 1024;
    /** Spelt in pieces so that this file does not match itself. */
    private static final List<String> OUTSIDE_REFERENCES = List.of(".." + "/shared", "method" + " spec");
    private static final Pattern SECTION = Pattern.compile("§(\\d+(?:\\.\\d+)?)");
    private static final Pattern SECTION_RANGE = Pattern.compile("§(\\d+)\\s*[–-]\\s*§(\\d+)");
    private static final Pattern HEADING = Pattern.compile("^(#{1,6})\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern LINK = Pattern.compile("!?\\[[^\\]]*\\]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");

    @Test
    void readmeIsAtMostTwelveKilobytes() throws IOException {
        assertThat(Files.size(README)).as("README.md size in bytes (details belong in docs/)").isLessThanOrEqualTo(README_LIMIT);
    }

    @Test
    void noCommittedFileRefersToFilesOutsideTheRepository() throws IOException {
        List<String> offenders = new ArrayList<>();
        for (Path file : repositoryTextFiles()) {
            String text = Files.readString(file, StandardCharsets.ISO_8859_1);
            for (String bad : OUTSIDE_REFERENCES) {
                int at = text.indexOf(bad);
                if (at >= 0) {
                    offenders.add(ROOT.relativize(file) + ":" + lineOf(text, at) + " mentions '" + bad + "'");
                }
            }
        }
        assertThat(offenders).as("cite docs/ in the repository and the paper instead").isEmpty();
    }

    @Test
    void methodPageKeepsSectionsOneToSixteen() throws IOException {
        Set<String> sections = methodSections();
        for (int n = 1; n <= 16; n++) {
            assertThat(sections).as("docs/method.md headings").contains(Integer.toString(n));
        }
    }

    @Test
    void everySectionCitedInSourcesIsAHeadingOfTheMethodPage() throws IOException {
        Set<String> sections = methodSections();
        List<String> missing = new ArrayList<>();
        int citations = 0;
        for (Path file : repositoryTextFiles()) {
            if (!file.toString().endsWith(".java")) {
                continue;
            }
            String text = Files.readString(file, StandardCharsets.UTF_8);
            for (String cited : citedSections(text)) {
                citations++;
                if (!sections.contains(cited)) {
                    missing.add(ROOT.relativize(file) + " cites §" + cited);
                }
            }
        }
        assertThat(citations).as("sources cite docs/method.md sections").isGreaterThan(20);
        assertThat(missing).as("sections of docs/method.md (headings such as '## §8 …' or '### §15.4 …')").isEmpty();
    }

    @Test
    void citationParsingExpandsRangesAndSubsections() {
        assertThat(citedSections("(docs/method.md §5–§7, §15.4; see §10)")).containsExactly("5", "6", "7", "15.4", "10");
    }

    @Test
    void relativeLinksInReadmeAndDocsResolve() throws IOException {
        List<Path> pages = new ArrayList<>();
        pages.add(README);
        try (Stream<Path> s = Files.list(DOCS)) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        Map<Path, Set<String>> anchors = new HashMap<>();
        List<String> broken = new ArrayList<>();
        int links = 0;
        for (Path page : pages) {
            Matcher m = LINK.matcher(withoutCode(Files.readString(page, StandardCharsets.UTF_8)));
            while (m.find()) {
                String target = m.group(1);
                if (target.matches("(?i)[a-z][a-z0-9+.-]*:.*")) {
                    continue; // http:, https:, mailto:
                }
                links++;
                int hash = target.indexOf('#');
                String file = hash >= 0 ? target.substring(0, hash) : target;
                String fragment = hash >= 0 ? target.substring(hash + 1) : "";
                Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
                String where = ROOT.relativize(page) + " -> " + target;
                if (!resolved.startsWith(ROOT) || !Files.exists(resolved)) {
                    broken.add(where + " (no such file)");
                } else if (!fragment.isEmpty() && resolved.toString().endsWith(".md")
                        && !anchors.computeIfAbsent(resolved, RepositoryDocsTest::anchorsOf).contains(fragment)) {
                    broken.add(where + " (no such heading)");
                }
            }
        }
        assertThat(links).as("relative links found").isGreaterThan(10);
        assertThat(broken).isEmpty();
    }

    @Test
    void anchorsFollowGithubsRule() {
        assertThat(slug("§15.7 CSR@10% denominator")).isEqualTo("157-csr10-denominator");
        assertThat(slug("`eagle explain`")).isEqualTo("eagle-explain");
        assertThat(slug("§7 Early stop, and eagle4j's lazy greedy")).isEqualTo("7-early-stop-and-eagle4js-lazy-greedy");
    }

    // ---------------------------------------------------------------- helpers

    /** The section numbers of docs/method.md's headings ("## §8 …" gives "8", "### §15.4 …" gives "15.4"). */
    private static Set<String> methodSections() throws IOException {
        Set<String> out = new TreeSet<>();
        for (String line : Files.readAllLines(METHOD, StandardCharsets.UTF_8)) {
            Matcher h = HEADING.matcher(line);
            if (h.matches()) {
                Matcher s = Pattern.compile("^§(\\d+(?:\\.\\d+)?)\\b").matcher(h.group(2));
                if (s.find()) {
                    out.add(s.group(1));
                }
            }
        }
        return out;
    }

    /** Every {@code §N} or {@code §N.M} in a text, ranges {@code §5–§7} expanded. */
    static List<String> citedSections(String text) {
        Set<String> out = new LinkedHashSet<>();
        Matcher range = SECTION_RANGE.matcher(text);
        StringBuilder rest = new StringBuilder();
        int last = 0;
        while (range.find()) {
            int from = Integer.parseInt(range.group(1));
            int to = Integer.parseInt(range.group(2));
            rest.append(text, last, range.start());
            for (int n = from; n <= to; n++) {
                out.add(Integer.toString(n));
            }
            last = range.end();
        }
        rest.append(text.substring(last));
        Matcher single = SECTION.matcher(rest);
        while (single.find()) {
            out.add(single.group(1));
        }
        return new ArrayList<>(out);
    }

    /** The anchors GitHub gives a page's headings. */
    private static Set<String> anchorsOf(Path page) {
        try {
            Set<String> out = new LinkedHashSet<>();
            Map<String, Integer> seen = new HashMap<>();
            boolean fenced = false;
            for (String line : Files.readAllLines(page, StandardCharsets.UTF_8)) {
                if (line.strip().startsWith("```")) {
                    fenced = !fenced;
                }
                Matcher h = HEADING.matcher(line);
                if (!fenced && h.matches()) {
                    String base = slug(h.group(2));
                    int n = seen.merge(base, 1, Integer::sum) - 1;
                    out.add(n == 0 ? base : base + "-" + n);
                }
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** GitHub's heading anchor: lower case, punctuation other than '-' and '_' dropped, spaces to hyphens. */
    static String slug(String heading) {
        return heading.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{M}\\p{N}\\p{Pc} -]", "").replace(' ', '-');
    }

    /** Markdown without fenced blocks and inline code, where brackets are not links. */
    private static String withoutCode(String markdown) {
        StringBuilder out = new StringBuilder();
        boolean fenced = false;
        for (String line : markdown.split("\n", -1)) {
            if (line.strip().startsWith("```")) {
                fenced = !fenced;
                out.append('\n');
                continue;
            }
            out.append(fenced ? "" : line.replaceAll("`[^`]*`", "``")).append('\n');
        }
        return out.toString();
    }

    /**
     * The repository's text files: every file under the root except Git's own folder, what .gitignore ignores
     * (build output, virtual environments, local run folders) and binary files (a NUL byte in the first 8 KiB).
     */
    private static List<Path> repositoryTextFiles() throws IOException {
        Ignored ignored = Ignored.read(ROOT.resolve(".gitignore"));
        List<Path> out = new ArrayList<>();
        Files.walkFileTree(ROOT, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                if (!dir.equals(ROOT) && (dir.getFileName().toString().equals(".git") || ignored.directory(ROOT.relativize(dir)))) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (attrs.isRegularFile() && !ignored.file(file.getFileName().toString()) && isText(file)) {
                    out.add(file);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        assertThat(out).as("text files found under " + ROOT).hasSizeGreaterThan(100);
        return out;
    }

    private static boolean isText(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(8192);
            for (byte b : head) {
                if (b == 0) {
                    return false;
                }
            }
            return true;
        }
    }

    private static int lineOf(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    /** The subset of .gitignore this repository uses: folder patterns ("target/", "/demo-out/") and "*.ext". */
    private record Ignored(Set<String> dirNames, Set<String> dirPaths, Set<String> suffixes) {
        static Ignored read(Path gitignore) throws IOException {
            Set<String> names = new LinkedHashSet<>();
            Set<String> paths = new LinkedHashSet<>();
            Set<String> suffixes = new LinkedHashSet<>();
            List<String> lines = Files.exists(gitignore) ? Files.readAllLines(gitignore) : List.of();
            for (String raw : lines) {
                String line = raw.strip();
                if (line.isEmpty() || line.startsWith("#") || line.startsWith("!")) {
                    continue;
                }
                if (line.startsWith("*.")) {
                    suffixes.add(line.substring(1));
                } else if (line.endsWith("/")) {
                    String dir = line.substring(line.startsWith("/") ? 1 : 0, line.length() - 1);
                    if (line.startsWith("/") || dir.contains("/")) {
                        paths.add(dir);
                    } else {
                        names.add(dir);
                    }
                }
            }
            return new Ignored(names, paths, suffixes);
        }

        boolean directory(Path relative) {
            return dirNames.contains(relative.getFileName().toString())
                    || dirPaths.contains(relative.toString().replace('\\', '/'));
        }

        boolean file(String name) {
            return suffixes.stream().anyMatch(name::endsWith);
        }
    }
}
