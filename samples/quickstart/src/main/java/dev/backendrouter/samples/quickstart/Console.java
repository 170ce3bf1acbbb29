package dev.backendrouter.samples.quickstart;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The tour's output. On a terminal: colour, and a progress line redrawn in place. Piped (CI, a
 * log file): plain lines, and progress printed only when a scene asks for a milestone.
 */
final class Console {
    private static final String RESET = "\u001b[0m";
    private static final String BOLD = "\u001b[1m";
    private static final String DIM = "\u001b[2m";
    private static final String GREEN = "\u001b[32m";
    private static final String RED = "\u001b[31m";
    private static final String CYAN = "\u001b[36m";

    private final PrintStream out;
    private final boolean terminal;
    private boolean progressShown;

    Console(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    /** Standard output in UTF-8 (Java 17 would print the tour's arrows and rules as {@code ?} under a C locale). */
    static Console forSystemOut() {
        PrintStream utf8 = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        return new Console(utf8, System.console() != null && System.getenv("NO_COLOR") == null);
    }

    void title(String text) {
        out.println(style(BOLD, text));
    }

    void heading(int number, String title) {
        endProgress();
        out.println();
        out.println(style(BOLD + CYAN, "── " + number + ". " + title + " " + "─".repeat(Math.max(3, 66 - title.length()))));
    }

    void line(String text) {
        endProgress();
        out.println("   " + text);
    }

    void detail(String text) {
        endProgress();
        out.println(style(DIM, "     " + text));
    }

    /** A live status line: redrawn in place on a terminal, skipped when piped. */
    void progress(String text) {
        if (terminal) {
            out.print("\r\u001b[2K   " + style(DIM, text));
            out.flush();
            progressShown = true;
        }
    }

    /** A status worth keeping: printed as a line whether or not output is a terminal. */
    void milestone(String text) {
        endProgress();
        out.println("   · " + text);
    }

    void verdict(boolean passed, String text) {
        endProgress();
        out.println("   " + (passed ? style(BOLD + GREEN, "✔ PASS") : style(BOLD + RED, "✘ FAIL")) + "  " + text);
    }

    /** A table with a header row, columns padded to their widest cell. */
    void table(List<String> header, List<List<String>> rows) {
        endProgress();
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        int[] widths = new int[header.size()];
        for (List<String> row : all) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        for (int r = 0; r < all.size(); r++) {
            StringBuilder line = new StringBuilder("   ");
            for (int i = 0; i < all.get(r).size(); i++) {
                String cell = all.get(r).get(i);
                line.append(i + 1 < widths.length ? pad(cell, widths[i]) + "  " : cell);
            }
            String text = line.toString().stripTrailing();
            out.println(r == 0 ? style(BOLD, text) : colourVerdict(text));
        }
    }

    private String colourVerdict(String text) {
        if (!terminal) {
            return text;
        }
        return text.replace("PASS", GREEN + "PASS" + RESET).replace("FAIL", RED + "FAIL" + RESET);
    }

    private void endProgress() {
        if (progressShown) {
            out.print("\r\u001b[2K");
            progressShown = false;
        }
    }

    private String style(String codes, String text) {
        return terminal ? codes + text + RESET : text;
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(width - text.length());
    }
}
