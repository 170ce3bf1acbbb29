package dev.backendrouter.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import dev.backendrouter.api.BackendAuth;
import dev.backendrouter.api.BackendGroup;
import dev.backendrouter.api.BackendMember;
import dev.backendrouter.api.BackendRole;
import dev.backendrouter.api.BreakerSettings;
import dev.backendrouter.api.MemberTimeouts;
import dev.backendrouter.api.Problem;
import dev.backendrouter.api.Topology;
import dev.backendrouter.api.TopologyException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TopologyFileSourceTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    private Topology load(String yaml) throws IOException {
        return TopologySource.file(write("topology.yaml", yaml)).withEnvironment(name -> null).load();
    }

    private List<Problem> problemsOf(String name, String text, Map<String, String> env) throws IOException {
        Path file = write(name, text);
        try {
            TopologySource.file(file).withEnvironment(env::get).load();
        } catch (TopologyException e) {
            return e.problems();
        }
        throw new AssertionError("expected a TopologyException for\n" + text);
    }

    private List<String> problems(String yaml) throws IOException {
        return problemsOf("topology.yaml", yaml, Map.of()).stream().map(Problem::toString).toList();
    }

    @Test
    void readsEveryField() throws IOException {
        Topology topology = load("""
                service: file-service
                stage: prod
                version: 3
                defaults:
                  circuitBreaker: { window: 20, minimumCalls: 10, failureRate: 50, openFor: 10s, halfOpenCalls: 3 }
                groups:
                  storage:
                    backends:
                      - name: fs-1
                        url: http://localhost:4001
                        role: primary
                        priority: 1
                        weight: 300
                        labels: { stage: prod, zone: a }
                        auth: { header: X-API-Key, value: k3y }
                        timeouts: { connect: 200ms, attempt: 2s }
                        circuitBreaker: { openFor: 30s }
                      - name: fs-2
                        url: https://fs-2.internal:8443/base
                        role: Backup
                        priority: 2
                        auth: { bearer: t0k3n }
                        timeouts: { attempt: PT1M }
                """);
        assertThat(topology.service()).isEqualTo("file-service");
        assertThat(topology.stage()).isEqualTo("prod");
        assertThat(topology.version()).isEqualTo("3");
        List<BackendMember> members = topology.group("storage").orElseThrow().members();
        assertThat(members.get(0)).isEqualTo(new BackendMember("fs-1", URI.create("http://localhost:4001"),
                BackendRole.PRIMARY, 1, 300, null, Map.of("stage", "prod", "zone", "a"),
                BackendAuth.apiKey("X-API-Key", "k3y"), new MemberTimeouts(Duration.ofMillis(200), Duration.ofSeconds(2)),
                new BreakerSettings(null, null, null, Duration.ofSeconds(30), null), null));
        assertThat(members.get(1)).isEqualTo(new BackendMember("fs-2", URI.create("https://fs-2.internal:8443/base"),
                BackendRole.BACKUP, 2, 100, null, Map.of(), BackendAuth.bearer("t0k3n"),
                new MemberTimeouts(null, Duration.ofMinutes(1)), null, null));
        assertThat(topology.circuitBreakerDefaults()).isEqualTo(new BreakerSettings(20, 10, 50, Duration.ofSeconds(10), 3));
        assertThat(topology.circuitBreakerOf(members.get(0))).isEqualTo(new BreakerSettings(20, 10, 50, Duration.ofSeconds(30), 3));
    }

    @Test
    void yamlAndJsonGiveTheSameTopology() throws IOException {
        Topology yaml = TopologySource.file(write("t.yaml", """
                service: file-service
                groups:
                  users:
                    allowShardGaps: true
                    backends:
                      - { name: u1, url: "http://localhost:4001", role: SHARD, routingKey: users-a-k }
                      - { name: u2, url: "http://localhost:4002", role: SHARD, routingKey: users-n-z, labels: { zone: b } }
                """)).load();
        Topology json = TopologySource.file(write("t.json", """
                {"service": "file-service",
                 "groups": {"users": {"allowShardGaps": true, "backends": [
                   {"name": "u1", "url": "http://localhost:4001", "role": "SHARD", "routingKey": "users-a-k"},
                   {"name": "u2", "url": "http://localhost:4002", "role": "SHARD", "routingKey": "users-n-z", "labels": {"zone": "b"}}
                 ]}}}
                """)).load();
        assertThat(json).isEqualTo(yaml);
        assertThat(yaml.group("users").orElseThrow().allowShardGaps()).isTrue();
    }

    @Test
    void aGroupsNearCache() throws IOException {
        Topology topology = load("""
                service: s
                groups:
                  storage:
                    cache: { near: { maxSize: 500, ttl: 30s, staleIfError: 2m } }
                    backends: [ { name: a, url: "http://h:1" } ]
                """);
        assertThat(topology.group("storage").orElseThrow().nearCache())
                .isEqualTo(new dev.backendrouter.api.NearCacheSettings(500, Duration.ofSeconds(30), Duration.ofMinutes(2)));
        assertThat(problems("""
                service: s
                groups:
                  storage:
                    cache: { near: { maxSize: 0, ttl: 5, maxSise: 1 } }
                    backends: [ { name: a, url: "http://h:1" } ]
                """)).containsExactly(
                "groups.storage.cache.near.maxSise: unknown field (did you mean 'maxSize'?); known fields: maxSize, staleIfError, ttl",
                "groups.storage.cache.near.ttl: must be a duration, was '5' (add a unit: 500ms, 2s, 1m)",
                "groups.storage.cache.near.maxSize: must be within 1-10000000, was 0");
    }

    @Test
    void topLevelBackendsFormTheDefaultGroupAndKeepTheirPaths() throws IOException {
        Topology topology = load("""
                service: s
                backends:
                  - { name: a, url: "http://localhost:1" }
                """);
        assertThat(topology.groups()).extracting(BackendGroup::name).containsExactly("default");
        assertThat(problems("""
                service: s
                backends:
                  - { name: a, url: "http://localhost:1", weight: 0 }
                """)).containsExactly("backends[0].weight: must be greater than 0, was 0");
    }

    @Test
    void theThreeRegistryPatternsLoad() {
        Topology primaryBackup = TopologySource.classpath("topologies/primary-backup.yaml").load();
        assertThat(primaryBackup.group("storage").orElseThrow().members())
                .extracting(BackendMember::name, BackendMember::role, BackendMember::priority)
                .containsExactly(tuple("file-system-server-1", BackendRole.PRIMARY, 1),
                        tuple("file-system-server-2", BackendRole.BACKUP, 2));

        Topology sharding = TopologySource.classpath("/topologies/sharding.yaml").load();
        BackendGroup users = sharding.group("users").orElseThrow();
        assertThat(users.isSharded()).isTrue();
        assertThat(users.members()).extracting(BackendMember::role, BackendMember::routingKey)
                .containsExactly(tuple(BackendRole.SHARD, "users-a-m"), tuple(BackendRole.SHARD, "users-n-z"));

        Topology cacheStorage = TopologySource.classpath("topologies/cache-storage.yaml").load();
        assertThat(cacheStorage.group("storage").orElseThrow().members())
                .extracting(BackendMember::name, BackendMember::role, BackendMember::priority)
                .containsExactly(tuple("redis-cache", BackendRole.CACHE, 1), tuple("file-system-server", BackendRole.PRIMARY, 2));
    }

    @Test
    void placeholdersComeFromTheEnvironmentWithDefaults() throws IOException {
        Path file = write("topology.yaml", """
                service: ${SERVICE_NAME:file-service}
                groups:
                  school:
                    backends:
                      - name: backend-school
                        url: ${BACKEND_SCHOOL_URL:http://localhost:8081}
                        priority: ${SCHOOL_PRIORITY:1}
                        auth: { header: X-API-Key, value: "${SCHOOL_API_KEY}" }
                        labels: { note: "literal $${NOT_A_VAR}" }
                """);
        Topology topology = TopologySource.file(file)
                .withEnvironment(Map.of("SCHOOL_API_KEY", "secret-1", "SCHOOL_PRIORITY", "3")::get).load();
        BackendMember school = topology.group("school").orElseThrow().members().get(0);
        assertThat(topology.service()).isEqualTo("file-service");
        assertThat(school.url()).isEqualTo(URI.create("http://localhost:8081"));
        assertThat(school.priority()).isEqualTo(3);
        assertThat(school.auth()).isEqualTo(BackendAuth.apiKey("X-API-Key", "secret-1"));
        assertThat(school.labels()).containsEntry("note", "literal ${NOT_A_VAR}");

        Topology production = TopologySource.file(file).withEnvironment(Map.of(
                "BACKEND_SCHOOL_URL", "http://school.vpc:80", "SCHOOL_API_KEY", "k")::get).load();
        assertThat(production.group("school").orElseThrow().members().get(0).url())
                .isEqualTo(URI.create("http://school.vpc:80"));
    }

    @Test
    void unsetPlaceholderIsAProblemAtItsPathAndNotRepeated() throws IOException {
        List<Problem> problems = problemsOf("topology.yaml", """
                service: s
                groups:
                  school:
                    backends:
                      - name: backend-school
                        url: ${BACKEND_SCHOOL_URL}
                        auth: { header: X-API-Key, value: "${SCHOOL_API_KEY}" }
                """, Map.of());
        assertThat(problems).containsExactly(
                new Problem("groups.school.backends[0].url", "environment variable BACKEND_SCHOOL_URL is not set and "
                        + "the placeholder has no default (write ${BACKEND_SCHOOL_URL:default} to give one)"),
                new Problem("groups.school.backends[0].auth.value", "environment variable SCHOOL_API_KEY is not set and "
                        + "the placeholder has no default (write ${SCHOOL_API_KEY:default} to give one)"));
    }

    @Test
    void malformedPlaceholder() throws IOException {
        assertThat(problems("""
                service: s
                backends:
                  - { name: a, url: "http://${HOST" }
                """)).containsExactly("backends[0].url: unterminated or malformed placeholder at character 7: "
                + "write ${NAME} or ${NAME:default}, NAME of letters, digits and '_'");
    }

    @Test
    void everyProblemIsReportedAtOnce() throws IOException {
        assertThat(problems("""
                service: file-service
                groups:
                  users:
                    backends:
                      - name: u1
                        url: http://localhost:4001
                        role: SHARD
                        routingKey: users-a-l
                        prority: 1
                      - name: u2
                        url: ftp://localhost:4002
                        role: SHARD
                        routingKey: users-m-z
                      - name: u3
                        url: http://localhost:4003
                        role: SHARD
                        routingKey: users-n-z
                      - name: u3
                        url: http://localhost:4004
                        role: MASTER
                      - name: u5
                        url: http://localhost:4005
                        role: SHARD
                        weight: heavy
                        timeouts: { attempt: 5 }
                """)).containsExactly(
                "groups.users.backends[0].prority: unknown field (did you mean 'priority'?); known fields: auth, "
                        + "circuitBreaker, kubernetes, labels, name, priority, role, routingKey, timeouts, tls, url, weight",
                "groups.users.backends[3].role: unknown role 'MASTER': use one of PRIMARY, BACKUP, CACHE, SHARD, READ_REPLICA, ARCHIVE",
                "groups.users.backends[4].weight: must be a whole number, was 'heavy'",
                "groups.users.backends[4].timeouts.attempt: must be a duration, was '5' (add a unit: 500ms, 2s, 1m)",
                "groups.users.backends[1].url: scheme must be http or https, was 'ftp' in 'ftp://localhost:4002'",
                "groups.users.backends[3].name: duplicate name 'u3' in group users",
                "groups.users.backends[4].routingKey: required for a SHARD: the keys it owns, e.g. users-a-m (key range) "
                        + "or users#0-8191 (hash slots)",
                "groups.users.backends[2].routingKey: range n-z overlaps users-m-z (backends[1])");
    }

    @Test
    void malformedUrlAndWrongShapes() throws IOException {
        assertThat(problems("""
                service: [a, b]
                groups:
                  g:
                    backends:
                      - name: a
                        url: "http://local host:1"
                        labels: [x]
                        auth: { header: X-API-Key }
                      - just-a-string
                """)).containsExactly(
                "service: must be a single value, not a list",
                "groups.g.backends[0].url: malformed URL: Illegal character in authority at index 7 (expected e.g. http://localhost:4001)",
                "groups.g.backends[0].labels: must be a mapping of label name to value, e.g. { stage: prod, zone: a }",
                "groups.g.backends[0].auth: incomplete: give header and value (an API key), or bearer (a token)",
                "groups.g.backends[1]: must be a mapping with at least name and url (or kubernetes)");
    }

    @Test
    void unknownTopLevelFieldAndBothShapes() throws IOException {
        assertThat(problems("""
                service: s
                stgae: prod
                groups: { g: { backends: [ { name: a, url: "http://h:1" } ] } }
                backends: [ { name: b, url: "http://h:2" } ]
                """)).containsExactly(
                "stgae: unknown field (did you mean 'stage'?); known fields: backends, defaults, groups, service, stage, version",
                "backends: use either 'groups' or a top-level 'backends' list, not both");
    }

    @Test
    void yamlSyntaxErrorsGiveLineAndColumn() throws IOException {
        List<Problem> problems = problemsOf("topology.yaml", "service: s\ngroups:\n  g: [unclosed\n", Map.of());
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.path()).matches("line \\d+, column \\d+");
            assertThat(p.message()).startsWith("YAML syntax: ");
        });
    }

    @Test
    void jsonSyntaxErrorsGiveLineAndColumn() throws IOException {
        List<Problem> problems = problemsOf("topology.json", "{\n  \"service\": \"s\",\n  \"groups\": {,}\n}", Map.of());
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("line 3, column 14");
            assertThat(p.message()).startsWith("JSON syntax: Unexpected character (','");
        });
    }

    @Test
    void duplicateKeysAreSyntaxErrors() throws IOException {
        assertThat(problemsOf("topology.yaml", "service: a\nservice: b\n", Map.of()))
                .singleElement().extracting(Problem::message).asString().contains("service");
    }

    @Test
    void hugeFilesAreRefused() throws IOException {
        String huge = "service: s\n# " + "x".repeat(1024 * 1024) + "\n";
        assertThat(problems(huge)).containsExactly(
                "the file is larger than 1048576 bytes, the limit for a topology (is it the right file?)");
    }

    @Test
    void aliasBombsAndDeepNestingEndInProblems() throws IOException {
        StringBuilder bomb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for (char c = 'b'; c <= 'k'; c++) {
            char previous = (char) (c - 1);
            bomb.append(c).append(": &").append(c).append(" [");
            for (int i = 0; i < 9; i++) {
                bomb.append(i == 0 ? "" : ", ").append('*').append(previous);
            }
            bomb.append("]\n");
        }
        assertThat(problems("service: s\n" + bomb)).containsExactly("line 3, column 8: YAML aliases (*a) are not "
                + "supported: write the value out, or use a stage overlay to share values");
        String deep = "service: s\nlabels: " + "[".repeat(200) + "]".repeat(200) + "\n";
        assertThat(problems(deep)).singleElement().asString().containsIgnoringCase("depth");
    }

    @Test
    void emptyAndNonMappingFiles() throws IOException {
        assertThat(problems("")).containsExactly("the file is empty: it needs at least 'service' and 'groups'");
        assertThat(problems("- a\n- b\n")).containsExactly("the file must hold a mapping with 'service' and 'groups', not a array");
    }

    @Test
    void missingFileSaysWhereItLooked() {
        Path missing = dir.resolve("nope.yaml");
        assertThatThrownBy(() -> TopologySource.file(missing).load()).isInstanceOf(TopologyException.class)
                .hasMessageContaining("not found: " + missing + " (check the path and the working directory)");
        assertThatThrownBy(() -> TopologySource.classpath("nope.yaml").load())
                .hasMessageContaining("not found: classpath:nope.yaml");
    }

    @Test
    void secretsNeverAppearInErrors() throws IOException {
        Path file = write("topology.yaml", """
                service: s
                backends:
                  - name: a
                    url: http://h:1
                    weight: -1
                    auth: { header: "X-API-Key", value: "${KEY}", bearer: "${KEY}" }
                """);
        assertThatThrownBy(() -> TopologySource.file(file).withEnvironment(Map.of("KEY", "super-secret-value")::get).load())
                .isInstanceOfSatisfying(TopologyException.class, e -> {
                    assertThat(e.getMessage()).doesNotContain("super-secret-value")
                            .contains("backends[0].auth: give either header and value, or bearer, not both");
                });
    }

    @Test
    void decimalsKeepTheirDigitsAndFilesMustBeUtf8() throws IOException {
        assertThat(load("service: s\nversion: 1.10\nbackends: [ { name: a, url: \"http://h:1\" } ]\n").version())
                .isEqualTo("1.10");
        Path latin1 = dir.resolve("latin1.yaml");
        Files.write(latin1, "service: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> TopologySource.file(latin1).load()).isInstanceOfSatisfying(TopologyException.class,
                e -> assertThat(e.problems()).containsExactly(new Problem("", "the file is not UTF-8 text (byte 12 cannot "
                        + "be decoded): save it as UTF-8")));
    }

}
