package dev.backendrouter.docscheck;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles samples with the JDK's compiler against a class path, one sample per compilation, and
 * describes what is wrong in the Markdown's own terms: file, line, javac's message, the line.
 */
final class SampleCompiler implements AutoCloseable {
    private final JavaCompiler compiler;
    private final StandardJavaFileManager files;
    private final List<String> options;

    /**
     * @param classPath the jars and directories the samples compile against
     * @param output where class files go (they are not used)
     */
    SampleCompiler(String classPath, Path output) {
        this.compiler = ToolProvider.getSystemJavaCompiler();
        if (compiler == null) {
            throw new IllegalStateException("no Java compiler in this runtime: run the docs check on a JDK, not a JRE");
        }
        this.files = compiler.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8);
        this.options = List.of("--release", "17", "-proc:none", "-Xlint:deprecation,removal",
                "-classpath", classPath, "-d", output.toString());
    }

    /** The class path of this JVM: under Maven, every test dependency (surefire without a manifest-only jar). */
    static String currentClassPath() {
        String classPath = System.getProperty("java.class.path");
        if (classPath == null || classPath.isBlank() || !classPath.contains(File.pathSeparator)) {
            throw new IllegalStateException("java.class.path does not list the test class path (" + classPath
                    + "): run under Maven, where surefire's useManifestOnlyJar is false");
        }
        return classPath;
    }

    /**
     * Compiles one sample.
     *
     * @return what is wrong with it, one report naming the file, the line of each problem and
     *     javac's message; empty when it compiles without errors or deprecation warnings
     */
    String compile(SampleUnit unit) {
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        JavaFileObject source = new Source(unit);
        Boolean ok = compiler.getTask(null, files, diagnostics, options, null, List.of(source)).call();
        List<String> problems = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() == Diagnostic.Kind.ERROR || d.getKind() == Diagnostic.Kind.WARNING
                    || d.getKind() == Diagnostic.Kind.MANDATORY_WARNING) {
                problems.add(describe(unit, d));
            }
        }
        if (problems.isEmpty() && !Boolean.TRUE.equals(ok)) {
            problems.add("javac failed without a diagnostic");
        }
        if (problems.isEmpty()) {
            return "";
        }
        StringBuilder report = new StringBuilder()
                .append(unit.sample().where()).append(": the ```java block (compiled as ")
                .append(unit.kind() == SampleUnit.Kind.FRAGMENT ? "a fragment" : "a compilation unit")
                .append(") does not compile:");
        problems.forEach(p -> report.append('\n').append(p));
        return report.toString();
    }

    private static String describe(SampleUnit unit, Diagnostic<? extends JavaFileObject> d) {
        long line = d.getLineNumber();
        int markdownLine = unit.markdownLine(line);
        String where = markdownLine > 0 ? unit.sample().file() + ":" + markdownLine
                : unit.sample().where() + " (in the scaffold around the block)";
        String kind = d.getKind() == Diagnostic.Kind.ERROR ? "error" : "warning";
        StringBuilder text = new StringBuilder("  ").append(where).append(": ").append(kind).append(": ")
                .append(d.getMessage(Locale.ROOT).replace("\n", "\n      "));
        if (line > 0) {
            text.append("\n      | ").append(unit.sourceLine(line).strip());
        }
        return text.toString();
    }

    @Override
    public void close() throws IOException {
        files.close();
    }

    private static final class Source extends SimpleJavaFileObject {
        private final String code;

        Source(SampleUnit unit) {
            super(URI.create("string:///" + unit.className() + Kind.SOURCE.extension), Kind.SOURCE);
            this.code = unit.source();
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return code;
        }
    }
}
