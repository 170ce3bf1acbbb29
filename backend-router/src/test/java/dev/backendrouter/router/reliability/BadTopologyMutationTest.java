package dev.backendrouter.router.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backendrouter.api.Topology;
import dev.backendrouter.api.TopologyException;
import dev.backendrouter.router.BackendRouter;
import dev.backendrouter.router.HealthCheckSettings;
import dev.backendrouter.router.TopologySource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * A property over mutated topologies: valid topologies of several shapes, mutated at random with
 * fixed seeds (deleted fields, values of another type, strings with control and invisible
 * characters, duplicated members, unknown roles, shifted shard ranges, huge, zero and negative
 * numbers, deeper nesting, nulls, renamed keys, bad URLs, placeholders), written as YAML or JSON
 * and loaded from the file, handed over as a tree, or merged as a stage overlay over the unchanged
 * base. Every mutant either loads into a valid topology (the mutation kept it valid: it
 * re-validates, and a router accepts it) or is refused with a {@link TopologyException} whose
 * problems all have paths. Never another exception, never a hang. A failure names the seed, the
 * mutations and the document.
 *
 * <p>A hand-written seeded generator rather than jqwik: jqwik's engine targets JUnit Platform
 * 1.x, and this build runs JUnit 6.
 */
class BadTopologyMutationTest {
    static final long[] SEEDS = {11, 23, 37, 41, 53, 67};
    static final int MUTANTS_PER_SEED = 500;
    private static final Map<String, String> ENVIRONMENT = Map.of("SET_URL", "http://localhost:4999", "PRIORITY", "3");
    private static final ObjectMapper YAML = YAMLMapper.builder().build();
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    static final List<String> BASES = List.of("""
            service: file-service
            stage: prep
            version: 12
            defaults: { circuitBreaker: { failureRate: 50, openFor: 10s } }
            groups:
              storage:
                cache: { near: { maxSize: 1000, ttl: 5m, staleIfError: 1m } }
                backends:
                  - { name: fs-1, url: "http://localhost:4001", role: PRIMARY, priority: 1, weight: 100,
                      labels: { stage: prep, zone: a }, auth: { header: X-API-Key, value: key-1 },
                      timeouts: { connect: 200ms, attempt: 2s }, circuitBreaker: { window: 20, minimumCalls: 5 } }
                  - { name: fs-2, url: "http://localhost:4002", role: BACKUP, priority: 2, auth: { bearer: token-2 } }
            """, """
            service: user-service
            groups:
              users:
                backends:
                  - { name: u-am, url: "http://localhost:5001", role: SHARD, routingKey: users-a-m }
                  - { name: u-nz, url: "http://localhost:5002", role: SHARD, routingKey: users-n-z }
                  - { name: u-am-r, url: "http://localhost:5003", role: READ_REPLICA, routingKey: users-a-m }
                  - { name: u-nz-c, url: "http://localhost:5004", role: CACHE, routingKey: users-n-z }
                  - { name: u-am-b, url: "http://localhost:5005", role: BACKUP, routingKey: users-a-m, priority: 2 }
                  - { name: u-archive, url: "http://localhost:5006", role: ARCHIVE }
              storage:
                backends:
                  - { name: fs-1, url: "http://localhost:4001" }
            """, """
            service: session-service
            groups:
              sessions:
                allowShardGaps: false
                backends:
                  - { name: s-0, url: "http://localhost:7001", role: SHARD, routingKey: "sessions#0-8191" }
                  - { name: s-1, url: "http://localhost:7002", role: SHARD, routingKey: "sessions#8192-16383" }
                  - { name: s-0-r, url: "http://localhost:7003", role: READ_REPLICA, routingKey: "sessions#0-8191" }
            """, """
            service: flat-service
            backends:
              - { name: a, url: "http://localhost:4001" }
              - { name: b, url: "https://backup.example.org/api", role: backup, priority: 2 }
              - { name: c, url: "http://[::1]:4003", role: read-replica }
            """, """
            service: file-service
            groups:
              files:
                backends:
                  - { name: fss, role: PRIMARY, priority: 1,
                      kubernetes: { service: file-system-server, namespace: storage, port: http, scheme: http } }
                  - { name: fss-dr, role: BACKUP, priority: 2, url: "kubernetes://file-system-server.storage-dr/8080" }
                  - { name: fss-tls, role: READ_REPLICA, kubernetes: { service: fss-tls, port: 8443, scheme: https },
                      tls: { pins: [ "sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=" ] } }
            """);

    @TempDir
    Path dir;

    /** Counts of one run; identical on every run, since the seeds are fixed. */
    static final class Tally {
        long generated;
        long refused;
        long valid;
        long viaTree;
        long viaOverlay;
        final List<String> failures = new ArrayList<>();
    }

    @Test
    void everyMutantLoadsValidOrIsRefusedWithPaths() throws IOException {
        Tally tally = new Tally();
        long[] seeds = Fuzz.seeds(SEEDS);
        int perSeed = Fuzz.cases(MUTANTS_PER_SEED);
        for (long seed : seeds) {
            Random random = new Random(seed);
            for (int i = 0; i < perSeed; i++) {
                mutant(seed, i, random, tally);
            }
        }
        assertThat(tally.failures).as("mutants that broke the property (seed, mutations, document)").isEmpty();
        assertThat(tally.generated).isEqualTo((long) seeds.length * perSeed);
        assertThat(tally.refused).as("most mutants are invalid").isGreaterThan(tally.generated / 2);
        assertThat(tally.valid).as("some mutations keep the topology valid").isPositive();
        Fuzz.figure("mutated topologies generated", tally.generated);
        Fuzz.figure("mutations refused with a TopologyException", tally.refused);
        Fuzz.figure("mutations that stayed valid", tally.valid);
        Fuzz.figure("mutated topologies given as a tree (fromTree)", tally.viaTree);
        Fuzz.figure("mutated topologies given as a stage overlay", tally.viaOverlay);
        Fuzz.figure("other exceptions", tally.failures.size());
    }

    @SuppressWarnings("unchecked")
    private void mutant(long seed, int index, Random random, Tally tally) throws IOException {
        String base = BASES.get(random.nextInt(BASES.size()));
        Map<String, Object> tree = (Map<String, Object>) TopologyMutator.copy(YAML.readValue(base, Map.class));
        TopologyMutator mutator = new TopologyMutator(random);
        int mutations = 1 + random.nextInt(3);
        for (int m = 0; m < mutations; m++) {
            mutator.mutate(tree);
        }
        int route = random.nextInt(6);   // 0-1 YAML file, 2-3 JSON file, 4 a tree, 5 the mutant as a stage overlay
        tally.generated++;
        String document;
        TopologySource source;
        if (route == 4) {
            document = "(a tree) " + tree;
            source = TopologySource.fromTree("mutant " + index + " of seed " + seed, tree);
            tally.viaTree++;
        } else if (route == 5) {
            Path file = dir.resolve("overlaid-" + seed + "-" + index + ".yaml");
            Files.writeString(file, base, StandardCharsets.UTF_8);
            document = YAML.writeValueAsString(tree);
            Files.writeString(dir.resolve("overlaid-" + seed + "-" + index + "-prep.yaml"), document, StandardCharsets.UTF_8);
            document = "(a prep overlay over the unchanged base) " + document;
            source = TopologySource.file(file).withEnvironment(ENVIRONMENT::get).forStage("prep");
            tally.viaOverlay++;
        } else {
            boolean json = route >= 2;
            document = (json ? JSON : YAML).writeValueAsString(tree);
            Path file = dir.resolve("mutant-" + seed + "-" + index + (json ? ".json" : ".yaml"));
            Files.writeString(file, document, StandardCharsets.UTF_8);
            source = TopologySource.file(file).withEnvironment(ENVIRONMENT::get);
        }
        try {
            Refusals.Outcome outcome = Refusals.load(source::load);
            if (outcome.refusal() != null) {
                Refusals.assertWellFormed(outcome.refusal(), false, List.of());
                tally.refused++;
            } else {
                assertStillValid(outcome.topology());
                tally.valid++;
            }
        } catch (Throwable e) {
            if (tally.failures.size() < 5) {
                tally.failures.add("seed " + seed + ", mutant " + index + ", " + mutator.log() + ": " + e
                        + "\n" + shortened(document));
            } else {
                tally.failures.add("seed " + seed + ", mutant " + index);
            }
        }
    }

    /** Services without endpoints: the Kubernetes module is not on this class path, and its tiers' members do not matter here. */
    static final class NoEndpoints implements dev.backendrouter.router.spi.MemberDiscovery {
        @Override
        public java.util.Set<String> schemes() {
            return java.util.Set.of("kubernetes");
        }

        @Override
        public dev.backendrouter.router.spi.EndpointWatch watch(dev.backendrouter.router.spi.DiscoveryTarget target, Runnable onChange) {
            return new dev.backendrouter.router.spi.EndpointWatch() {
                @Override
                public List<dev.backendrouter.router.spi.DiscoveredEndpoint> endpoints() {
                    return List.of();
                }

                @Override
                public boolean connected() {
                    return true;
                }

                @Override
                public String problem() {
                    return null;
                }

                @Override
                public void close() {
                }
            };
        }
    }

    /** A topology that loaded is valid: it re-validates, and a router takes it. */
    static void assertStillValid(Topology topology) {
        assertThat(topology.toBuilder().build()).isEqualTo(topology);
        try (BackendRouter router = BackendRouter.builder().topology(TopologySource.of(topology)).memberDiscovery(new NoEndpoints())
                .healthChecks(HealthCheckSettings.disabled()).build()) {
            assertThat(router.topology()).isEqualTo(topology);
            assertThat(router.snapshot().groups()).hasSameSizeAs(topology.groups());
        } catch (TopologyException e) {
            throw new AssertionError("loaded, then refused by the router: " + e.getMessage(), e);
        }
    }

    private static String shortened(String document) {
        return document.length() > 4000 ? document.substring(0, 4000) + "… (" + document.length() + " chars)" : document;
    }
}
