package dev.backendrouter.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code probe} sends a redis:// cache member AUTH and PING, as the router's health check does, against a real redis-server. */
class ProbeRedisIntegrationTest {
    private static final String PASSWORD = "s3cret-redis-pass";

    @TempDir
    Path dir;
    private Process redis;

    @AfterEach
    void stop() throws InterruptedException {
        if (redis != null) {
            redis.destroyForcibly().waitFor();
        }
    }

    private int startRedis() throws Exception {
        Path binary = Path.of("/usr/bin/redis-server");
        String missing = "redis-server is not installed: apt-get install -y redis-server (the project's .ci/run installs it)";
        if (!Files.isExecutable(binary)) {
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException(missing);
            }
            assumeTrue(false, missing);
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        redis = new ProcessBuilder(binary.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1", "--dir",
                dir.toString(), "--save", "", "--appendonly", "no", "--requirepass", PASSWORD)
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        for (int i = 0; i < 500; i++) {
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return port;
            } catch (IOException notYet) {
                Thread.sleep(20);
            }
        }
        throw new IllegalStateException("redis-server did not start");
    }

    @Test
    void aRedisMemberIsPingedWithItsPasswordAndAWrongOneIsDownWithoutShowingIt() throws Exception {
        int port = startRedis();
        String file = Files.writeString(dir.resolve("topology.yaml"), """
                service: file-service
                groups:
                  files:
                    backends:
                      - { name: redis-cache, url: "redis://127.0.0.1:%d/0", role: CACHE, priority: 1, auth: { password: "${REDIS_PASSWORD}" } }
                      - { name: redis-wrong, url: "redis://:not-the-password@127.0.0.1:%d/1", role: CACHE, priority: 2 }
                      - { name: file-system-server, url: "%s", role: PRIMARY, priority: 3 }
                """.formatted(port, port, TestBackend.refusedUrl())).toString();

        CliRun run = CliRun.run("probe", file, "--env", "REDIS_PASSWORD=" + PASSWORD);

        List<String> lines = run.out().lines().toList();
        assertThat(lines.get(1)).matches("files +redis-cache +CACHE +redis://127.0.0.1:" + port + "/0 +PONG +\\d+ ms");
        assertThat(lines.get(2)).matches("files +redis-wrong +CACHE +redis://127.0.0.1:" + port + "/1 +DOWN +\\d+ ms +"
                + "the password was refused \\(WRONGPASS\\)");
        assertThat(run.exit()).isEqualTo(3);
        assertThat(run.all()).doesNotContain(PASSWORD).doesNotContain("not-the-password");
    }
}
