package dev.backendrouter.docscheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * docs/reliability.md shows exactly the figures the reliability suite recorded in this build
 * (each module's {@code target/reliability/*.tsv}, written as its tests run; rows by figure name). Run with
 * {@code mvn clean verify -Dreliability.write=true} to rewrite the table after changing the suite.
 */
class ReliabilityDocTest {
    static final String BEGIN = "<!-- figures:begin (written by docs-check's ReliabilityDocTest) -->";
    static final String END = "<!-- figures:end -->";
    private static final List<String> MODULES = List.of("backend-router", "backend-spring-starter", "backend-cli");

    @Test
    void theDocShowsTheFiguresOfThisBuild() throws IOException {
        Path root = DocsCompileTest.docsRoot();
        String table = table(root);
        Assumptions.assumeTrue(table != null,
                "no module has recorded reliability figures: run the whole build (mvn verify) to check docs/reliability.md");
        Path doc = root.resolve("docs/reliability.md");
        String text = Files.readString(doc, StandardCharsets.UTF_8);
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        assertThat(begin).as("the figures markers in %s", doc).isNotNegative();
        assertThat(end).as("the figures markers in %s", doc).isGreaterThan(begin);
        String shown = text.substring(begin + BEGIN.length(), end).strip();
        if (Boolean.getBoolean("reliability.write")) {
            Files.writeString(doc, text.substring(0, begin + BEGIN.length()) + "\n" + table + "\n" + text.substring(end),
                    StandardCharsets.UTF_8);
            return;
        }
        assertThat(shown)
                .as("docs/reliability.md's figures are those of this build; rewrite them with "
                        + "mvn clean verify -Dreliability.write=true (and read the diff)")
                .isEqualTo(table.strip());
    }

    /** The figures as a Markdown table, or {@code null} when none were recorded. */
    static String table(Path root) throws IOException {
        List<String> rows = new ArrayList<>();
        for (String module : MODULES) {
            Path dir = root.resolve(module).resolve("target/reliability");
            if (!Files.isDirectory(dir)) {
                continue;
            }
            List<Path> suites;
            try (Stream<Path> files = Files.list(dir)) {
                suites = files.filter(f -> f.toString().endsWith(".tsv")).sorted().toList();
            }
            for (Path suite : suites) {
                String name = suite.getFileName().toString().replace(".tsv", "");
                // sorted: a suite recorded from several test classes records in their (unspecified) order
                for (String line : Files.readAllLines(suite, StandardCharsets.UTF_8).stream().sorted().toList()) {
                    String[] cells = line.split("\t");
                    rows.add("| " + module + " | " + name + " | " + cells[0] + " | " + String.format("%,d", Long.parseLong(cells[1])) + " |");
                }
            }
        }
        if (rows.isEmpty()) {
            return null;
        }
        return "| Module | Suite | Figure | Value |\n|---|---|---|---:|\n" + String.join("\n", rows);
    }
}
