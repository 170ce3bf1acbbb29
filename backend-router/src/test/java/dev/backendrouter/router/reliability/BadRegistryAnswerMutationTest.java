package dev.backendrouter.router.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backendrouter.api.Problem;
import dev.backendrouter.api.TopologyException;
import dev.backendrouter.router.internal.topology.RegistryJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The fuzzers' property for the registry's answers (REFERENCE R1's deployment with its backends):
 * valid answers of several shapes, mutated at random with fixed seeds — as a tree (the mutations of
 * {@link BadTopologyMutationTest}, and others aimed at a connection's role, routing key, priority
 * and group or a backend deployment's host, port, URL and stage, duplicated backends) or as text
 * (the edits of {@link BadTopologyTextMutationTest}) — then read as the registry source reads them.
 * Each ends in a valid topology or a {@link TopologyException} whose problems all have paths into
 * the JSON. Sized on demand like the others ({@link Fuzz}).
 */
class BadRegistryAnswerMutationTest {
    static final long[] SEEDS = {71, 83, 97};
    static final int MUTANTS_PER_SEED = 500;
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    static final List<String> BASES = List.of("""
            { "deployment": { "id": 123, "serviceName": "file-service", "name": "file-service-1", "host": "10.0.4.2",
                              "port": 8080, "status": "running", "stage": "prod" },
              "backends": [
                { "connection": { "id": 1, "serviceDeploymentId": 123, "backendDeploymentId": 451, "role": "PRIMARY",
                                  "priority": 1, "group": "storage" },
                  "deployment": { "id": 451, "serviceName": "file-system-server", "name": "fs-1", "host": "127.0.0.1",
                                  "port": 4001, "status": "running", "stage": "prod" } },
                { "connection": { "id": 2, "serviceDeploymentId": 123, "backendDeploymentId": 452, "role": "BACKUP",
                                  "priority": 2, "group": "storage" },
                  "deployment": { "id": 452, "serviceName": "file-system-server", "name": "fs-2",
                                  "url": "http://127.0.0.1:4002/api", "status": "running", "stage": "prod" } } ] }
            """, """
            { "deployment": { "id": 7, "serviceName": "user-service", "name": "user-service-1", "status": "running" },
              "backends": [
                { "connection": { "serviceDeploymentId": 7, "backendDeploymentId": 11, "role": "SHARD", "routingKey": "users-a-m", "group": "users" },
                  "deployment": { "id": 11, "serviceName": "user-db", "name": "u-am", "host": "localhost", "port": 5001 } },
                { "connection": { "serviceDeploymentId": 7, "backendDeploymentId": 12, "role": "SHARD", "routingKey": "users-n-z", "group": "users" },
                  "deployment": { "id": 12, "serviceName": "user-db", "name": "u-nz", "host": "localhost", "port": 5002 } },
                { "connection": { "serviceDeploymentId": 7, "backendDeploymentId": 13, "role": "READ_REPLICA", "routingKey": "users-a-m", "group": "users" },
                  "deployment": { "id": 13, "serviceName": "user-db", "name": "u-am-r", "host": "localhost", "port": 5003 } },
                { "connection": { "serviceDeploymentId": 7, "backendDeploymentId": 14, "role": "CACHE", "priority": 1, "routingKey": "users-n-z", "group": "users" },
                  "deployment": { "id": 14, "serviceName": "user-cache", "name": "u-cache", "host": "localhost", "port": 5004 } },
                { "connection": { "serviceDeploymentId": 7, "backendDeploymentId": 15, "role": "ARCHIVE", "group": "users" },
                  "deployment": { "id": 15, "serviceName": "user-archive", "name": "u-archive", "host": "localhost", "port": 5005 } } ] }
            """, """
            { "deployment": { "id": 9, "serviceName": "session-service", "name": "session-service-prep", "stage": "prep" },
              "backends": [
                { "connection": { "serviceDeploymentId": 9, "backendDeploymentId": 21, "role": "SHARD", "routingKey": "sessions#0-8191" },
                  "deployment": { "id": 21, "serviceName": "session-store", "name": "s-0", "host": "127.0.0.1", "port": 7001, "stage": "prep" } },
                { "connection": { "serviceDeploymentId": 9, "backendDeploymentId": 22, "role": "SHARD", "routingKey": "sessions#8192-16383" },
                  "deployment": { "id": 22, "serviceName": "session-store", "name": "s-1", "host": "127.0.0.1", "port": 7002, "stage": "prep" } } ] }
            """);

    @Test
    void theBasesAreValidAnswers() {
        for (String base : BASES) {
            BadTopologyMutationTest.assertStillValid(RegistryJson.topology(base.getBytes(StandardCharsets.UTF_8), "a base"));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyMutatedAnswerLoadsValidOrIsRefusedWithPaths() {
        long generated = 0;
        long refused = 0;
        long valid = 0;
        List<String> failures = new ArrayList<>();
        int perSeed = Fuzz.cases(MUTANTS_PER_SEED);
        for (long seed : Fuzz.seeds(SEEDS)) {
            Random random = new Random(seed);
            for (int i = 0; i < perSeed; i++) {
                String base = BASES.get(random.nextInt(BASES.size()));
                List<String> log = new ArrayList<>();
                byte[] answer;
                if (random.nextBoolean()) {
                    Map<String, Object> tree = (Map<String, Object>) TopologyMutator.copy(JSON.readValue(base, Map.class));
                    TopologyMutator mutator = new TopologyMutator(random);
                    for (int m = 1 + random.nextInt(3); m > 0; m--) {
                        mutator.mutateAnswer(tree);
                    }
                    log.addAll(mutator.log());
                    answer = JSON.writeValueAsBytes(tree);
                } else {
                    answer = BadTopologyTextMutationTest.edit(base, random, log);
                }
                generated++;
                try {
                    Refusals.Outcome outcome = Refusals.load(() -> RegistryJson.topology(answer, "the registry (a mutant)"));
                    if (outcome.refusal() != null) {
                        Refusals.assertWellFormed(outcome.refusal(), wholeAnswerOnly(outcome.refusal()), List.of("dev.backendrouter."));
                        refused++;
                    } else {
                        BadTopologyMutationTest.assertStillValid(outcome.topology());
                        valid++;
                    }
                } catch (Throwable e) {
                    failures.add(failures.size() >= 5 ? "seed " + seed + ", mutant " + i
                            : "seed " + seed + ", mutant " + i + ", " + log + ": " + e + "\n" + new String(answer, StandardCharsets.UTF_8));
                }
            }
        }
        assertThat(failures).as("answers that broke the property (seed, mutations, answer)").isEmpty();
        assertThat(refused).as("most mutations break the answer").isGreaterThan(generated / 2);
        assertThat(valid).as("some keep it valid").isPositive();
        Fuzz.figure("mutated registry answers generated", generated);
        Fuzz.figure("mutated registry answers refused with a TopologyException", refused);
        Fuzz.figure("mutated registry answers that stayed valid", valid);
    }

    /** A problem of the whole answer (not JSON, too large) has the empty path; every other has its own. */
    private static boolean wholeAnswerOnly(TopologyException e) {
        return e.problems().stream().filter(p -> p.path().isEmpty()).map(Problem::message)
                .allMatch(message -> message.startsWith("the registry's answer"));
    }
}
