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
                "7 of 7 scenes met their expectation");
        for (String scene : List.of("1. Failover", "2. Shards", "3. Cache first", "4. Replica reads", "5. Archive fallback",
                "6. Circuit breaker", "7. Flaky backends")) {
            assertThat(out).contains("── " + scene);
        }
        assertThat(out).contains("MissingRoutingKeyException: Group 'users' is sharded",
                "NoShardForKeyException: No shard of group 'users' owns routing key '42'",
                "storage-archive → success");
        assertThat(out).as("piped output is plain").doesNotContain("\u001b", "\r");
        assertThat(out.lines().filter(line -> line.endsWith("PASS") && line.matches("\\s+\\d\\s.*"))).hasSize(7);

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
