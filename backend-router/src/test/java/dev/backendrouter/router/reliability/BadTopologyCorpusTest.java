package dev.backendrouter.router.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backendrouter.api.TopologyException;
import dev.backendrouter.router.TopologyFileSource;
import dev.backendrouter.router.TopologySource;
import dev.backendrouter.router.internal.topology.TopologyParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file of the corpus of invalid topologies ({@code src/test/resources/bad-topologies}, listed
 * in its {@code index.txt} with the problem paths it must produce), and a few inputs too large or
 * too binary to keep as files, ends in a {@link TopologyException} with those paths: never another
 * exception, never a hang, never a raw control character or the whole input in the message.
 */
class BadTopologyCorpusTest {
    static final String SUITE = "bad-input";
    private static final String VALID = "service: file-service\ngroups:\n  storage:\n    backends:\n"
            + "      - { name: fs-1, url: \"http://localhost:4001\" }\n";

    @TempDir
    Path dir;

    /** One invalid file: its name, the stage it is loaded for (or null), the paths expected, text never shown. */
    record Case(String file, String stage, List<String> paths, List<String> forbidden, String what) {
        @Override
        public String toString() {
            return file + " (" + what + ")";
        }
    }

    static Path corpus() {
        try {
            return Path.of(BadTopologyCorpusTest.class.getResource("/bad-topologies/index.txt").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The cases of an index file: {@code file | stage | path ; path ; !secret | what}. */
    static List<Case> cases(Path index) {
        try {
            List<Case> cases = new ArrayList<>();
            for (String line : Files.readAllLines(index, StandardCharsets.UTF_8)) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] cells = line.split(" \\| ", -1);
                assertThat(cells).as("a line of %s: %s", index, line).hasSize(4);
                List<String> entries = Arrays.stream(cells[2].split(" ; ")).map(String::strip).toList();
                cases.add(new Case(cells[0].strip(), cells[1].strip().equals("-") ? null : cells[1].strip(),
                        entries.stream().filter(e -> !e.startsWith("!")).toList(),
                        entries.stream().filter(e -> e.startsWith("!")).map(e -> e.substring(1)).toList(), cells[3].strip()));
            }
            return cases;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Case> corpusCases() {
        return cases(corpus().resolve("index.txt"));
    }

    /** The source every case is loaded with: no environment at all, so {@code ${UNSET_...}} stays unset. */
    static TopologySource source(Path file, String stage) {
        TopologyFileSource source = TopologySource.file(file).withEnvironment(Map.<String, String>of()::get);
        return stage == null ? source : source.forStage(stage);
    }

    /** Loads a case's file and checks its refusal; the exception, for more checks. */
    static TopologyException assertRefused(Path file, String stage, List<String> paths, List<String> forbidden) {
        Refusals.Outcome outcome = Refusals.load(() -> source(file, stage).load());
        assertThat(outcome.refusal()).as("%s loaded as %s", file.getFileName(), outcome.topology()).isNotNull();
        TopologyException e = outcome.refusal();
        Refusals.assertWellFormed(e, paths.contains("(file)"), forbidden);
        for (String path : paths) {
            String expected = path.equals("(file)") ? "" : path;
            assertThat(Refusals.hasPath(e, expected)).as("a problem at '%s' in %s", expected, e.getMessage()).isTrue();
        }
        return e;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpusCases")
    void everyCorpusFileIsRefusedWithItsPaths(Case c) {
        assertRefused(corpus().resolve(c.file()), c.stage(), c.paths(), c.forbidden());
    }

    /** Inputs kept out of the repository: too large, or bytes that are not text. */
    static Stream<Object[]> generatedCases() {
        byte[] garbage = new byte[4096];
        new Random(20261125L).nextBytes(garbage);
        String big = "x".repeat(TopologyParser.MAX_BYTES);
        return Stream.of(
                new Object[] {"huge.yaml", (VALID + "# " + big).getBytes(StandardCharsets.UTF_8), "(file)"},
                new Object[] {"huge.json", ("{\"service\": \"" + big + "\"}").getBytes(StandardCharsets.UTF_8), "(file)"},
                new Object[] {"one-byte-over.yaml", (VALID + "#".repeat(TopologyParser.MAX_BYTES + 1 - VALID.length()))
                        .getBytes(StandardCharsets.UTF_8), "(file)"},
                new Object[] {"long-string.yaml", ("service: " + "x".repeat(100_000) + "\n").getBytes(StandardCharsets.UTF_8), "line*"},
                new Object[] {"long-string.json", ("{\"service\": \"" + "x".repeat(100_000) + "\"}").getBytes(StandardCharsets.UTF_8), "line*"},
                new Object[] {"long-key.yaml", (VALID + "k" + "x".repeat(100_000) + ": 1\n").getBytes(StandardCharsets.UTF_8), "line*"},
                new Object[] {"long-key.json", ("{\"" + "x".repeat(100_000) + "\": 1}").getBytes(StandardCharsets.UTF_8), "line*"},
                new Object[] {"garbage.yaml", garbage, "(file)"},
                new Object[] {"garbage.json", garbage, "(file)"},
                new Object[] {"bom-only.yaml", new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, "(file)"},
                new Object[] {"bom-only.json", new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, "line*"},
                new Object[] {"utf-16.yaml", VALID.getBytes(StandardCharsets.UTF_16), "(file)"},
                new Object[] {"latin-1.yaml", (VALID + "# caf\u00e9\n").getBytes(StandardCharsets.ISO_8859_1), "(file)"});
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("generatedCases")
    void generatedInputsAreRefused(String name, byte[] bytes, String path) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, bytes);
        TopologyException e = assertRefused(file, null, List.of(path), List.of());
        assertThat(e.getMessage()).as("never the content").doesNotContain("x".repeat(200));
    }

    @Test
    void everyCorpusFileIsACaseOrTheOverlayOfOne() throws IOException {
        List<Case> cases = corpusCases();
        Set<String> listed = cases.stream().map(Case::file).collect(Collectors.toCollection(TreeSet::new));
        Set<String> files;
        try (Stream<Path> list = Files.list(corpus())) {
            files = list.filter(Files::isRegularFile).map(p -> p.getFileName().toString())
                    .filter(name -> !name.equals("index.txt")).collect(Collectors.toCollection(TreeSet::new));
        }
        for (String file : files) {
            boolean overlay = cases.stream().anyMatch(c -> c.stage() != null
                    && file.equals(c.file().replaceFirst("\\.(yaml|json)$", "-" + c.stage() + ".$1")));
            assertThat(listed.contains(file) || overlay).as("%s is listed in index.txt or is a listed case's overlay", file).isTrue();
        }
        assertThat(cases).as("one line per case").extracting(Case::file).doesNotHaveDuplicates();
        Figures.record(SUITE, "invalid topology files in the corpus", cases.size());
        Figures.record(SUITE, "invalid inputs made at run time (huge, binary, not UTF-8)", generatedCases().count());
    }
}
