package dev.backendrouter.router.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The figures the reliability suite produced (how many faults, inputs and calls, and what was
 * lost), one {@code target/reliability/SUITE.tsv} per suite. docs-check's
 * {@code ReliabilityDocTest} checks that docs/reliability.md shows exactly these figures.
 * Record only what a run always produces the same way (counts, seeded inputs, losses), never a
 * time.
 */
public final class Figures {
    private static final Path DIR = Path.of("target", "reliability");

    private Figures() {
    }

    /** Records one figure of a suite, replacing the figure's earlier value. */
    public static synchronized void record(String suite, String figure, long value) {
        if (figure.contains("\t") || figure.contains("\n") || suite.contains("/")) {
            throw new IllegalArgumentException("a figure's name is one line without tabs: " + figure);
        }
        Path file = DIR.resolve(suite + ".tsv");
        try {
            Files.createDirectories(DIR);
            List<String> lines = Files.exists(file) ? new ArrayList<>(Files.readAllLines(file)) : new ArrayList<>();
            String line = figure + "\t" + value;
            int at = -1;
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).startsWith(figure + "\t")) {
                    at = i;
                }
            }
            if (at >= 0) {
                lines.set(at, line);
            } else {
                lines.add(line);
            }
            Files.write(file, lines);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the figure " + figure + " in " + file, e);
        }
    }
}
