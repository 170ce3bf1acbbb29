package dev.backendrouter.router.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backendrouter.router.TopologySource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The same property as {@link BadTopologyMutationTest}, one level down: the text of valid
 * topologies (YAML as written, YAML and JSON as Jackson writes them) is edited at random with
 * fixed seeds (ranges deleted, YAML and JSON punctuation, tags, anchors, directives, control
 * and invisible characters inserted, lines duplicated, swapped, re-indented, the file cut short,
 * bytes flipped), then loaded. Each edit ends in a valid topology or a {@link
 * dev.backendrouter.api.TopologyException} whose problems all have paths.
 */
class BadTopologyTextMutationTest {
    static final long[] SEEDS = {101, 202, 303, 404};
    static final int MUTANTS_PER_SEED = 500;
    private static final String[] PIECES = {"{", "}", "[", "]", ":", ": ", ",", "- ", "&a ", "*a", "!!binary ",
        "!!java.net.URL ", "!!int ", "!<tag:yaml.org,2002:str> ", "\t", "\r", "\n", "\u0000", "\u0007", "\u0085",
        "\u202e", "\u200b", "\ufeff", "\u2028", "%YAML 1.1\n", "%TAG ! tag:x,2000:\n", "---\n", "...\n", "? ", "|",
        ">", "'", "\"", "#", "\\", "${", "${UNSET}", "<<: ", "~", "null", "0x10", "1e999", ".nan", "\"\\u0000\"",
        "    ", "\n  ", "\uD800", "\uD83D\uDE00", "é"};

    @TempDir
    Path dir;

    @Test
    void everyEditedTextLoadsValidOrIsRefusedWithPaths() throws IOException {
        List<String[]> texts = new ArrayList<>();   // { extension, text }
        for (String base : BadTopologyMutationTest.BASES) {
            Object tree = YAMLMapper.builder().build().readValue(base, Map.class);
            texts.add(new String[] {".yaml", base});
            texts.add(new String[] {".yaml", YAMLMapper.builder().build().writeValueAsString(tree)});
            texts.add(new String[] {".json", JsonMapper.builder().build().writerWithDefaultPrettyPrinter().writeValueAsString(tree)});
        }
        long generated = 0;
        long refused = 0;
        long valid = 0;
        List<String> failures = new ArrayList<>();
        int perSeed = Fuzz.cases(MUTANTS_PER_SEED);
        for (long seed : Fuzz.seeds(SEEDS)) {
            Random random = new Random(seed);
            for (int i = 0; i < perSeed; i++) {
                String[] base = texts.get(random.nextInt(texts.size()));
                List<String> edits = new ArrayList<>();
                byte[] bytes = edit(base[1], random, edits);
                Path file = dir.resolve("edited-" + seed + "-" + i + base[0]);
                Files.write(file, bytes);
                generated++;
                try {
                    Refusals.Outcome outcome = Refusals.load(() -> TopologySource.file(file)
                            .withEnvironment(Map.<String, String>of()::get).load());
                    if (outcome.refusal() != null) {
                        Refusals.assertWellFormed(outcome.refusal(), false, List.of());
                        refused++;
                    } else {
                        BadTopologyMutationTest.assertStillValid(outcome.topology());
                        valid++;
                    }
                } catch (Throwable e) {
                    failures.add("seed " + seed + ", mutant " + i + ", " + edits + ": " + e + "\n"
                            + new String(bytes, StandardCharsets.UTF_8));
                }
            }
        }
        assertThat(failures).as("edited texts that broke the property (seed, edits, text)").isEmpty();
        assertThat(refused).as("most edits break the text").isGreaterThan(generated / 2);
        assertThat(valid).as("some edits keep it valid").isPositive();
        Fuzz.figure("edited topology texts generated", generated);
        Fuzz.figure("edited texts refused with a TopologyException", refused);
        Fuzz.figure("edited texts that stayed valid", valid);
    }

    /** One to four random edits of the text, as UTF-8 bytes (a byte flip may leave UTF-8). */
    static byte[] edit(String text, Random random, List<String> edits) {
        String edited = text;
        int count = 1 + random.nextInt(4);
        for (int e = 0; e < count && !edited.isEmpty(); e++) {
            int at = random.nextInt(edited.length());
            List<String> lines = new ArrayList<>(Arrays.asList(edited.split("\n", -1)));
            int line = random.nextInt(lines.size());
            switch (random.nextInt(7)) {
                case 0 -> {
                    int end = Math.min(edited.length(), at + 1 + random.nextInt(20));
                    edited = edited.substring(0, at) + edited.substring(end);
                    edits.add("deleted " + at + "-" + end);
                }
                case 1, 2 -> {
                    String piece = PIECES[random.nextInt(PIECES.length)];
                    edited = edited.substring(0, at) + piece + edited.substring(at);
                    edits.add("inserted " + piece.codePoints().mapToObj(Integer::toHexString).toList() + " at " + at);
                }
                case 3 -> {
                    lines.add(line, lines.get(line));
                    edited = String.join("\n", lines);
                    edits.add("duplicated line " + line);
                }
                case 4 -> {
                    int other = random.nextInt(lines.size());
                    String swap = lines.get(line);
                    lines.set(line, lines.get(other));
                    lines.set(other, swap);
                    edited = String.join("\n", lines);
                    edits.add("swapped lines " + line + " and " + other);
                }
                case 5 -> {
                    lines.set(line, " ".repeat(random.nextInt(6)) + lines.get(line).stripLeading());
                    edited = String.join("\n", lines);
                    edits.add("re-indented line " + line);
                }
                default -> {
                    edited = edited.substring(0, at);
                    edits.add("cut at " + at);
                }
            }
        }
        byte[] bytes = edited.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 0 && random.nextInt(10) == 0) {
            int at = random.nextInt(bytes.length);
            bytes[at] = (byte) (bytes[at] ^ (1 << random.nextInt(8)));
            edits.add("flipped a bit of byte " + at);
        }
        return bytes;
    }
}
