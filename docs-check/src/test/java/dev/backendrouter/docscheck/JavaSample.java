package dev.backendrouter.docscheck;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code ```java} fenced block of a Markdown file.
 *
 * @param file the Markdown file, relative to the repository root ({@code docs/routing.md})
 * @param fenceLine the 1-based line of the opening fence
 * @param lines the block's lines, without the fences and without the fence's indentation
 */
record JavaSample(String file, int fenceLine, List<String> lines) {
    // a backtick fence's info string holds no backtick (CommonMark), so ```` ```java ```` in prose is inline code
    private static final Pattern OPENING = Pattern.compile("^( *)(?:(`{3,})(?!.*`)|(~{3,}))\\s*(\\S*).*$");

    JavaSample {
        lines = List.copyOf(lines);
    }

    /** The 1-based Markdown line of the block's {@code index}-th line (0-based). */
    int markdownLine(int index) {
        return fenceLine + 1 + index;
    }

    /** {@code docs/routing.md:42}: where the block's fence is. */
    String where() {
        return file + ":" + fenceLine;
    }

    /**
     * Every block whose info string is exactly {@code java}; {@code text}, {@code yaml} and the
     * rest are left alone. Fences may be indented (inside list items): that indentation is
     * removed from the block's lines. An unclosed fence runs to the end of the file, as in
     * CommonMark.
     */
    static List<JavaSample> extract(String file, List<String> markdown) {
        List<JavaSample> samples = new ArrayList<>();
        int i = 0;
        while (i < markdown.size()) {
            Matcher opening = OPENING.matcher(markdown.get(i));
            if (!opening.matches()) {
                i++;
                continue;
            }
            int indent = opening.group(1).length();
            String fence = opening.group(2) != null ? opening.group(2) : opening.group(3);
            boolean java = opening.group(4).equals("java");
            int fenceLine = i + 1;
            List<String> lines = new ArrayList<>();
            i++;
            while (i < markdown.size() && !closes(markdown.get(i), fence)) {
                lines.add(unindent(markdown.get(i), indent));
                i++;
            }
            i++;
            if (java) {
                samples.add(new JavaSample(file, fenceLine, lines));
            }
        }
        return samples;
    }

    private static boolean closes(String line, String fence) {
        String trimmed = line.strip();
        char c = fence.charAt(0);
        if (trimmed.length() < fence.length()) {
            return false;
        }
        for (int k = 0; k < trimmed.length(); k++) {
            if (trimmed.charAt(k) != c) {
                return false;
            }
        }
        return true;
    }

    private static String unindent(String line, int indent) {
        int k = 0;
        while (k < indent && k < line.length() && line.charAt(k) == ' ') {
            k++;
        }
        return line.substring(k);
    }
}
