package dev.backendrouter.benchmarks.jmh;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starts a main of this package in a JVM of its own, on this JVM's java and class path. */
final class Children {
    private static final long TIMEOUT_MINUTES = 10;

    private Children() {
    }

    /**
     * Runs {@code main} with the given JVM options and arguments; its stderr goes to ours.
     *
     * @return the last line it printed, or {@code null} when it failed or timed out (said on stderr)
     */
    static String runForLastLine(List<String> jvmArgs, Class<?> main, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        Path output = Files.createTempFile("jmh-child", ".out");
        try {
            Process process = new ProcessBuilder(command).redirectOutput(output.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                System.err.println(main.getSimpleName() + " " + String.join(" ", args) + ": timed out");
                return null;
            }
            if (process.exitValue() != 0) {
                System.err.println(main.getSimpleName() + " " + String.join(" ", args) + ": exit " + process.exitValue());
                return null;
            }
            List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
            lines.removeIf(String::isBlank);
            return lines.isEmpty() ? null : lines.get(lines.size() - 1);
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
