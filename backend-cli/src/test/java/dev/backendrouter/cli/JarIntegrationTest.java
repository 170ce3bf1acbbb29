package dev.backendrouter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shaded jar runs on its own: {@code java -jar target/backend-router-cli.jar ...}, after {@code package}. */
class JarIntegrationTest {
    private static final Path JAR = Path.of("target", "backend-router-cli.jar");

    @TempDir
    Path dir;

    private record Result(int exit, String out, String err) {
    }

    private static Result java(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove("NO_COLOR");
        Process process = builder.start();
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes();
        byte[] err = process.getErrorStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    @Test
    void validatesWithEverythingItNeedsInside() throws Exception {
        Path valid = Files.writeString(dir.resolve("topology.yaml"), """
                service: file-service
                groups:
                  storage:
                    backends:
                      - { name: fs-1, url: "http://localhost:4001" }
                """);
        Path invalid = Files.writeString(dir.resolve("broken.json"), """
                {"service": "file-service", "groups": {"storage": {"backends": [{"name": "fs-1", "url": "ftp://h"}]}}}
                """);

        Result ok = java("validate", valid.toString());
        Result bad = java("validate", invalid.toString(), "--json");

        assertThat(ok.exit()).isZero();
        assertThat(ok.out()).startsWith(valid + ": valid");
        assertThat(ok.err()).isEmpty();
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.out()).contains("\"path\" : \"groups.storage.backends[0].url\"");
        assertThat(bad.err()).isEmpty();
    }

    @Test
    void probesOverHttpWithPlainOutputWhenPiped() throws Exception {
        Path file = Files.writeString(dir.resolve("topology.yaml"), """
                service: file-service
                groups:
                  storage:
                    backends:
                      - { name: fs-1, url: "%s" }
                """.formatted(TestBackend.refusedUrl()));

        Result probe = java("probe", file.toString());

        assertThat(probe.exit()).isEqualTo(3);
        assertThat(probe.out()).contains("connection refused").doesNotContain(CliRun.ESC);
        assertThat(probe.err()).isEmpty();
    }

    @Test
    void usageErrorsExit2() throws Exception {
        Result help = java("--help");
        Result unknown = java("frobnicate");

        assertThat(help.exit()).isZero();
        assertThat(help.out()).startsWith("Usage: backend-router-cli");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown command 'frobnicate'");
    }
}
