package dev.backendrouter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shaded jar runs on its own: {@code java -jar target/backend-router-cli.jar ...}, after {@code package}. */
class JarIntegrationTest {
    @TempDir
    Path dir;

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

        CliJar ok = CliJar.java("validate", valid.toString());
        CliJar bad = CliJar.java("validate", invalid.toString(), "--json");

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

        CliJar probe = CliJar.java("probe", file.toString());

        assertThat(probe.exit()).isEqualTo(3);
        assertThat(probe.out()).contains("connection refused").doesNotContain(CliRun.ESC);
        assertThat(probe.err()).isEmpty();
    }

    @Test
    void usageErrorsExit2() throws Exception {
        CliJar help = CliJar.java("--help");
        CliJar unknown = CliJar.java("frobnicate");

        assertThat(help.exit()).isZero();
        assertThat(help.out()).startsWith("Usage: backend-router-cli");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown command 'frobnicate'");
    }
}
