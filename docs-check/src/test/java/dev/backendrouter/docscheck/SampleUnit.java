package dev.backendrouter.docscheck;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@link JavaSample} made into a compilation unit, following the convention in
 * docs/development.md ("Code samples in the docs"):
 *
 * <ul>
 *   <li>the block's leading {@code import} lines are hoisted above everything else;
 *   <li>a block whose first declaration (after imports, comments and annotations) is a top-level
 *       class, interface, enum or record is compiled as it stands, as a compilation unit;
 *   <li>any other block is a fragment: the body of {@code void sample() throws Exception} in a
 *       class whose only member is the field {@code BackendRouter router};
 *   <li>both get {@link #IMPORTS} first.
 * </ul>
 *
 * Keeps, for every line of the generated source, the Markdown line it came from.
 */
final class SampleUnit {
    /** What every sample may use without importing it; docs/development.md lists the same. */
    static final List<String> IMPORTS = List.of(
            "dev.backendrouter.api.*",
            "dev.backendrouter.api.registry.*",
            "dev.backendrouter.router.*",
            "dev.backendrouter.router.metrics.*",
            "io.github.resilience4j.circuitbreaker.*",
            "io.github.resilience4j.retry.*",
            "io.github.resilience4j.core.IntervalFunction",
            "okhttp3.*",
            "java.io.*",
            "java.net.*",
            "java.nio.file.*",
            "java.time.*",
            "java.util.*",
            "java.util.concurrent.*");

    private static final String FRAGMENT_CLASS = "DocSample";
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(static\\s+)?[\\w.]+(\\.\\*)?\\s*;\\s*(//.*)?$");
    private static final Pattern TYPE = Pattern.compile(
            "^(?:(?:public|protected|private|abstract|final|static|sealed|non-sealed|strictfp)\\s+)*"
                    + "(class|interface|enum|record|@interface)\\s+([A-Za-z_$][\\w$]*)");
    private static final Pattern PUBLIC_TYPE = Pattern.compile(
            "^(?:@[\\w.]+(?:\\([^)]*\\))?\\s+)*(?:(?:abstract|final|static|sealed|non-sealed|strictfp)\\s+)*public\\s+"
                    + "(?:(?:abstract|final|static|sealed|non-sealed|strictfp)\\s+)*"
                    + "(?:class|interface|enum|record|@interface)\\s+([A-Za-z_$][\\w$]*)");

    enum Kind { FRAGMENT, COMPILATION_UNIT }

    private final JavaSample sample;
    private final Kind kind;
    private final String className;
    private final List<String> source = new ArrayList<>();
    private final List<Integer> origin = new ArrayList<>();   // Markdown line of each source line, 0 for the scaffold

    private SampleUnit(JavaSample sample) {
        this.sample = sample;
        List<String> lines = sample.lines();
        int body = 0;
        while (body < lines.size() && (lines.get(body).isBlank() || IMPORT.matcher(lines.get(body)).matches())) {
            body++;
        }
        this.kind = startsWithType(lines, body) ? Kind.COMPILATION_UNIT : Kind.FRAGMENT;
        this.className = kind == Kind.FRAGMENT ? FRAGMENT_CLASS : publicType(lines, body);
        for (String name : IMPORTS) {
            add("import " + name + ";", 0);
        }
        for (int i = 0; i < body; i++) {
            add(lines.get(i), sample.markdownLine(i));
        }
        if (kind == Kind.FRAGMENT) {
            add("class " + FRAGMENT_CLASS + " {", 0);
            add("    BackendRouter router;", 0);
            add("    void sample() throws Exception {", 0);
        }
        for (int i = body; i < lines.size(); i++) {
            add(lines.get(i), sample.markdownLine(i));
        }
        if (kind == Kind.FRAGMENT) {
            add("    }", 0);
            add("}", 0);
        }
    }

    static SampleUnit of(JavaSample sample) {
        return new SampleUnit(sample);
    }

    private void add(String line, int markdownLine) {
        source.add(line);
        origin.add(markdownLine);
    }

    /** Whether the first line that is not a comment or an annotation declares a top-level type. */
    private static boolean startsWithType(List<String> lines, int from) {
        boolean inComment = false;
        for (int i = from; i < lines.size(); i++) {
            String line = lines.get(i);
            String trimmed = line.strip();
            if (inComment) {
                inComment = !trimmed.contains("*/");
                continue;
            }
            if (trimmed.isEmpty() || trimmed.startsWith("//")) {
                continue;
            }
            if (trimmed.startsWith("/*")) {
                inComment = !trimmed.contains("*/");
                continue;
            }
            if (line.startsWith("@") && !line.startsWith("@interface")) {
                String rest = line.replaceFirst("^(?:@[\\w.]+(?:\\([^)]*\\))?\\s*)+", "");
                if (rest.isBlank()) {
                    continue;
                }
                return TYPE.matcher(rest).find();
            }
            return TYPE.matcher(line).find();
        }
        return false;
    }

    /** The name of the block's public top-level type (the file must be named after it), else a fixed name. */
    private static String publicType(List<String> lines, int from) {
        for (int i = from; i < lines.size(); i++) {
            Matcher matcher = PUBLIC_TYPE.matcher(lines.get(i));
            if (matcher.find()) {
                return matcher.group(1);
            }
        }
        return FRAGMENT_CLASS;
    }

    JavaSample sample() {
        return sample;
    }

    Kind kind() {
        return kind;
    }

    /** The simple name the source file must carry. */
    String className() {
        return className;
    }

    String source() {
        return String.join("\n", source) + "\n";
    }

    /** The Markdown line of a 1-based source line, or 0 when the line is the scaffold's. */
    int markdownLine(long sourceLine) {
        return sourceLine < 1 || sourceLine > origin.size() ? 0 : origin.get((int) sourceLine - 1);
    }

    /** The text of a 1-based source line, or empty. */
    String sourceLine(long sourceLine) {
        return sourceLine < 1 || sourceLine > source.size() ? "" : source.get((int) sourceLine - 1);
    }
}
