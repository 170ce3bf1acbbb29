package dev.backendrouter.samples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The whole tour, as the README's first command runs it, minus Maven: every scene passes and nothing is left running. */
class TourIntegrationTest {

    @Test
    void everySceneMeetsItsExpectationAndNothingIsLeftRunning() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int exit = Tour.run(new Console(new PrintStream(bytes, true, StandardCharsets.UTF_8), false));
        String out = bytes.toString(StandardCharsets.UTF_8);

        assertThat(exit).as(out).isZero();
        assertThat(out).contains("15 simulated backends", "6 groups, 6 roles", "every group has a healthy member",
                "8 of 8 scenes met their expectation");
        for (String scene : List.of("1. Failover", "2. Shards", "3. Cache first", "4. Replica reads", "5. Archive fallback",
                "6. Circuit breaker", "7. Flaky backends", "8. Redis in front of storage")) {
            assertThat(out).contains("── " + scene);
        }
        assertThat(out).contains("MissingRoutingKeyException: Group 'users' is sharded",
                "NoShardForKeyException: No shard of group 'users' owns routing key '42'",
                "storage-archive → success");
        assertThat(out).as("piped output is plain").doesNotContain("\u001b", "\r");
        boolean redisHere = java.nio.file.Files.isExecutable(java.nio.file.Path.of("/usr/bin/redis-server"));
        // CI installs redis-server, so there the Redis scene must run, not skip
        assertThat(redisHere || !"true".equals(System.getenv("CI"))).as("redis-server installed under CI").isTrue();
        assertThat(out.lines().filter(line -> line.endsWith("PASS") && line.matches("\\s+\\d\\s.*"))).hasSize(redisHere ? 8 : 7);
        if (redisHere) {
            assertThat(out).contains("instance 2 reads /files/hot-3", "from Redis: storage not asked",
                    "hits resumed without restarting the router: yes");
        } else {
            assertThat(out).contains("skipped: redis-server is not on this machine");
        }

        assertThat(lingering()).as("threads left by the tour").isEmpty();
    }

    private static List<String> lingering() throws InterruptedException {
        List<String> left = List.of();
        for (int i = 0; i < 50; i++) {
            left = Thread.getAllStackTraces().keySet().stream()
                    .filter(Thread::isAlive)
                    .map(Thread::getName)
                    .filter(name -> name.startsWith("tour-") || name.startsWith("backend-router-") || name.startsWith("HTTP-Dispatcher"))
                    .toList();
            if (left.isEmpty()) {
                return left;
            }
            Thread.sleep(100);
        }
        return left;
    }
}
