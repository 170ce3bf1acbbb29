package dev.backendrouter.api;

import static dev.backendrouter.api.BackendRole.ARCHIVE;
import static dev.backendrouter.api.BackendRole.BACKUP;
import static dev.backendrouter.api.BackendRole.CACHE;
import static dev.backendrouter.api.BackendRole.PRIMARY;
import static dev.backendrouter.api.BackendRole.READ_REPLICA;
import static dev.backendrouter.api.BackendRole.SHARD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One test per model rule, asserting the exact path and a message that says what to do. */
class TopologyTest {

    private static BackendMember member(String name, BackendRole role) {
        return BackendMember.builder(name, "http://localhost:4001").role(role).build();
    }

    private static BackendMember shard(String name, String key) {
        return BackendMember.builder(name, "http://localhost:4001").role(SHARD).routingKey(key).build();
    }

    private static BackendMember keyed(String name, BackendRole role, String key) {
        return BackendMember.builder(name, "http://localhost:4001").role(role).routingKey(key).build();
    }

    private static List<String> problems(BackendGroup group) {
        return Topology.builder().service("file-service").group(group).problems().stream()
                .map(Problem::toString).toList();
    }

    private static List<String> problems(BackendMember... members) {
        return problems(BackendGroup.of("users", members));
    }

    @Test
    void validTopologyBuildsAndKeepsOrder() {
        Topology topology = Topology.builder().service("file-service").stage("prod").version("7")
                .group("storage", member("fs-1", PRIMARY), BackendMember.builder("fs-2", "http://localhost:4002")
                        .role(BACKUP).priority(2).build())
                .group("users", shard("u1", "users-a-m"), shard("u2", "users-n-z"))
                .build();
        assertThat(topology.groups()).extracting(BackendGroup::name).containsExactly("storage", "users");
        assertThat(topology.group("users")).get().extracting(BackendGroup::isSharded).isEqualTo(true);
        assertThat(topology.group("nope")).isEmpty();
        assertThat(topology.toBuilder().build()).isEqualTo(topology);
        assertThat(topology.stage()).isEqualTo("prod");
        assertThat(topology.version()).isEqualTo("7");
    }

    @Test
    void buildThrowsWithEveryProblem() {
        assertThatThrownBy(() -> Topology.builder().group("Bad_Name", member("", PRIMARY)).build())
                .isInstanceOfSatisfying(TopologyException.class, e -> {
                    assertThat(e.problems()).extracting(Problem::path)
                            .containsExactly("service", "groups.Bad_Name", "groups.Bad_Name.backends[0].name");
                    assertThat(e.getMessage()).startsWith("Invalid topology (programmatic) (3 problems):")
                            .contains("\n  - service: required");
                });
    }

    @Test
    void missingService() {
        assertThat(Topology.builder().group("g", member("a", PRIMARY)).problems())
                .containsExactly(new Problem("service", "required: the name of the service that calls these backends"));
    }

    @Test
    void noGroups() {
        assertThat(Topology.builder().service("s").problems()).extracting(Problem::path).containsExactly("groups");
    }

    @Test
    void emptyGroup() {
        assertThat(problems(new BackendGroup("users", List.of(), false)))
                .containsExactly("groups.users.backends: the group has no backends");
    }

    @Test
    void missingNameAndUrlAndRole() {
        BackendMember blank = new BackendMember(" ", null, null, 1, 100, null, null, null, null, null, null);
        assertThat(problems(member("ok", PRIMARY), blank)).containsExactly(
                "groups.users.backends[1].name: required: a unique name for the backend, e.g. its deployment name",
                "groups.users.backends[1].url: required: the backend's base URL, e.g. http://localhost:4001",
                "groups.users.backends[1].role: required: one of PRIMARY, BACKUP, CACHE, SHARD, READ_REPLICA, ARCHIVE");
    }

    @Test
    void duplicateNamesInAGroup() {
        assertThat(problems(member("fs-1", PRIMARY), member("fs-1", BACKUP)))
                .containsExactly("groups.users.backends[1].name: duplicate name 'fs-1' in group users");
    }

    @Test
    void oneNameInTwoGroupsMustBeOneBackend() {
        BackendMember shared = member("fs-1", PRIMARY);
        assertThat(Topology.builder().service("s").group("a", shared).group("b", shared).problems()).isEmpty();
        BackendMember slashed = BackendMember.builder("fs-1", shared.url() + "/").role(PRIMARY).build();
        assertThat(Topology.builder().service("s").group("a", shared).group("b", slashed).problems())
                .as("a trailing slash does not make another backend").isEmpty();
        BackendMember elsewhere = BackendMember.builder("fs-1", "http://localhost:9999").build();
        assertThat(Topology.builder().service("s").group("a", shared).group("b", elsewhere).problems())
                .containsExactly(new Problem("groups.b.backends[0].url", "name 'fs-1' is already used by "
                        + "groups.a.backends[0] with url http://localhost:4001; one name is one backend, so give this one another name"));
    }

    @Test
    void oneBackendInSeveralPlacesCannotHaveTwoValuesOfASetting() {
        BackendMember a = BackendMember.builder("fs-a", "http://localhost:4001").build();
        BackendMember b = BackendMember.builder("fs-b", "http://localhost:4001/")
                .circuitBreaker(new BreakerSettings(5, null, null, Duration.ofSeconds(30), null))
                .timeouts(new MemberTimeouts(null, Duration.ofSeconds(2))).build();
        BackendMember c = BackendMember.builder("fs-c", "http://localhost:4001")
                .circuitBreaker(new BreakerSettings(50, 3, null, null, null))
                .timeouts(new MemberTimeouts(null, Duration.ofSeconds(5))).build();
        assertThat(Topology.builder().service("s").group("one", a).group("two", b).group("three", c).problems()).containsExactly(
                new Problem("groups.three.backends[0].circuitBreaker.window", "backend http://localhost:4001 is also "
                        + "groups.two.backends[0] with window 5; one backend has one breaker, so give both the same window "
                        + "or set it in one place"),
                new Problem("groups.three.backends[0].timeouts.attempt", "backend http://localhost:4001 is also "
                        + "groups.two.backends[0] with timeouts.attempt PT2S; one backend has one breaker, so give both the same "
                        + "timeouts.attempt or set it in one place"));
        BackendMember d = BackendMember.builder("fs-d", "http://localhost:4001")
                .circuitBreaker(new BreakerSettings(null, 3, null, null, null)).build();
        assertThat(Topology.builder().service("s").group("one", a).group("two", b).group("four", d).problems())
                .as("different fields set in different places: one breaker with both").isEmpty();
    }

    @Test
    void duplicateGroupNames() {
        assertThat(Topology.builder().service("s").group("a", member("x", PRIMARY)).group("a", member("y", PRIMARY))
                .problems()).containsExactly(new Problem("groups.a", "duplicate group name 'a'"));
    }

    @Test
    void groupNameMustBeAHostName() {
        assertThat(Topology.builder().service("s").group("Users", member("x", PRIMARY)).problems())
                .extracting(Problem::toString).singleElement().asString()
                .startsWith("groups.Users: 'Users' is not a valid group name: it is the host of http://<group>/... calls");
    }

    @Test
    void urlSchemeHostQueryAndCredentials() {
        BackendMember file = new BackendMember("a", URI.create("file:///etc/passwd"), PRIMARY, 1, 100, null, null, null, null, null, null);
        BackendMember relative = new BackendMember("b", URI.create("localhost:4001"), BACKUP, 1, 100, null, null, null, null, null, null);
        BackendMember query = new BackendMember("c", URI.create("http://h:1/x?y=1"), BACKUP, 1, 100, null, null, null, null, null, null);
        BackendMember creds = new BackendMember("d", URI.create("http://bob:hunter2@h:1"), BACKUP, 1, 100, null, null, null, null, null, null);
        BackendMember noHost = new BackendMember("e", URI.create("http:///path"), BACKUP, 1, 100, null, null, null, null, null, null);
        List<String> problems = problems(file, relative, query, creds, noHost);
        assertThat(problems).containsExactly(
                "groups.users.backends[0].url: scheme must be http or https, was 'file' in 'file:///etc/passwd'",
                "groups.users.backends[1].url: scheme must be http or https, was 'localhost' in 'localhost:4001'",
                "groups.users.backends[2].url: a base URL cannot have a query or fragment: 'http://h:1/x?****'",
                "groups.users.backends[3].url: credentials in the URL are not allowed (they would show in logs): "
                        + "use auth: { header: ..., value: ... } or auth: { bearer: ... }",
                "groups.users.backends[4].url: 'http:///path' has no valid host");
        assertThat(String.join("\n", problems)).doesNotContain("hunter2");
        assertThat(dev.backendrouter.api.internal.Texts.redacted(URI.create("https://u:p@h/x?token=abc#secret")))
                .as("a token in a query or fragment is not shown either").isEqualTo("https://****@h/x?****#****");
    }

    @Test
    void weightMustBePositiveAndPriorityNotNegative() {
        BackendMember bad = BackendMember.builder("a", "http://h:1").weight(0).priority(-1).build();
        assertThat(problems(bad)).containsExactly(
                "groups.users.backends[0].priority: must be 0 or more (lower is preferred), was -1",
                "groups.users.backends[0].weight: must be greater than 0, was 0");
    }

    @Test
    void groupNeedsAMemberToWriteTo() {
        assertThat(problems(member("r", READ_REPLICA), member("c", CACHE), member("a", ARCHIVE))).containsExactly(
                "groups.users: the group has no member to write to: add a PRIMARY, BACKUP or SHARD backend");
        assertThat(problems(member("b", BACKUP))).isEmpty();
    }

    @Test
    void shardNeedsRoutingKey() {
        BackendMember keyless = member("s", SHARD);
        assertThat(problems(keyless)).containsExactly("groups.users.backends[0].routingKey: required for a SHARD: "
                + "the keys it owns, e.g. users-a-m (key range) or users#0-8191 (hash slots)");
    }

    @Test
    void malformedRoutingKey() {
        assertThat(problems(shard("s1", "users-a-m"), shard("s2", "users-z-n"))).containsExactly(
                "groups.users.backends[1].routingKey: range start 'z' comes after its end 'n'");
    }

    @Test
    void overlappingRangesNameTheOtherShard() {
        assertThat(problems(shard("u1", "users-a-l"), shard("u2", "users-m-z"), shard("u3", "users-n-z")))
                .containsExactly("groups.users.backends[2].routingKey: range n-z overlaps users-m-z (backends[1])");
        assertThat(problems(shard("u1", "users-a-m"), shard("u2", "users-m-z")))
                .containsExactly("groups.users.backends[1].routingKey: range m-z overlaps users-a-m (backends[0])");
    }

    @Test
    void sameRangeTwiceIsOneShardWithTwoMembers() {
        assertThat(problems(shard("u1", "users-a-m"), shard("u1b", "users-a-m"), shard("u2", "users-n-z"))).isEmpty();
    }

    @Test
    void gapsAreProblemsUnlessAllowed() {
        assertThat(problems(shard("u1", "users-a-k"), shard("u2", "users-n-z"))).containsExactly(
                "groups.users.backends[1].routingKey: gap before range n-z: keys from 'l' up to 'n' have no shard "
                        + "after users-a-k (backends[0]); close it, or set allowShardGaps: true on the group");
        assertThat(problems(new BackendGroup("users", List.of(shard("u1", "users-a-k"), shard("u2", "users-n-z")), true)))
                .isEmpty();
        assertThat(problems(shard("u1", "users-0-9"), shard("u2", "users-a-mz"), shard("u3", "users-n-z"))).isEmpty();
    }

    @Test
    void keyRangesMustCoverTheLettersFromAToZ() {
        assertThat(problems(shard("u1", "users-c-m"), shard("u2", "users-n-x"))).containsExactly(
                "groups.users.backends[0].routingKey: gap before range c-m: keys before 'c' have no shard; start the "
                        + "first range at a (or 0 to cover digits too), or set allowShardGaps: true on the group",
                "groups.users.backends[1].routingKey: gap after range n-x: keys from 'y' on have no shard; end the last "
                        + "range at z, or set allowShardGaps: true on the group");
        assertThat(problems(shard("u1", "users-0-m"), shard("u2", "users-n-zz"))).isEmpty();
        assertThat(problems(new BackendGroup("users", List.of(shard("u1", "users-c-m"), shard("u2", "users-n-x")), true)))
                .isEmpty();
    }

    @Test
    void aReplicaInAShardedGroupNamesItsShard() {
        assertThat(problems(shard("u1", "users-a-z"), member("r", READ_REPLICA))).containsExactly(
                "groups.users.backends[1].routingKey: required for a READ_REPLICA in a sharded group: the routing key "
                        + "of the shard it copies (a replica without one would answer for every shard)");
        assertThat(problems(shard("u1", "users-a-z"), member("b", BACKUP), member("a", ARCHIVE)))
                .as("backups and archives may serve every shard").isEmpty();
        assertThat(problems(shard("u1", "users-a-z"), member("c", CACHE))).containsExactly(
                "groups.users.backends[1].routingKey: required for a CACHE in a sharded group: the routing key of the "
                        + "shard it caches (its keys are paths, so one cache for every shard would mix their answers)");
    }

    @Test
    void portsMustBeValid() {
        BackendMember high = new BackendMember("a", URI.create("http://h:70000"), PRIMARY, 1, 100, null, null, null, null, null, null);
        BackendMember zero = new BackendMember("b", URI.create("http://h:0"), BACKUP, 1, 100, null, null, null, null, null, null);
        assertThat(problems(high, zero)).containsExactly(
                "groups.users.backends[0].url: port 70000 is outside 1-65535 in 'http://h:70000'",
                "groups.users.backends[1].url: port 0 is outside 1-65535 in 'http://h:0'");
    }

    @Test
    void localhostIsNotAGroupName() {
        assertThat(Topology.builder().service("s").group("localhost", member("x", PRIMARY)).problems())
                .extracting(Problem::path).containsExactly("groups.localhost");
    }

    @Test
    void slotRangesMustCoverEverySlotOnce() {
        assertThat(problems(shard("u1", "users#0-8191"), shard("u2", "users#8192-16383"))).isEmpty();
        assertThat(problems(shard("u1", "users#0-8191"), shard("u2", "users#8000-16383"))).containsExactly(
                "groups.users.backends[1].routingKey: slots 8000-16383 overlap users#0-8191 (backends[0])");
        assertThat(problems(shard("u1", "users#10-8191"), shard("u2", "users#8192-16000"))).containsExactly(
                "groups.users.backends[0].routingKey: slots 0-9 have no shard (slots run 0-16383); close the gap, "
                        + "or set allowShardGaps: true on the group",
                "groups.users.backends[1].routingKey: slots 16001-16383 have no shard (slots run 0-16383); close the gap, "
                        + "or set allowShardGaps: true on the group");
    }

    @Test
    void oneFormAndOneKeyspacePerGroup() {
        assertThat(problems(shard("u1", "users-a-m"), shard("u2", "users#0-16383"))).containsExactly(
                "groups.users.backends[1].routingKey: mixes a slot range with the key range users-a-m (backends[0]); "
                        + "a group uses one form");
        assertThat(problems(shard("u1", "users-a-m"), shard("u2", "orders-n-z"))).containsExactly(
                "groups.users.backends[1].routingKey: keyspace 'orders' differs from 'users' of backends[0]; "
                        + "one group shards one keyspace, so put it in its own group");
    }

    @Test
    void keyedReplicasBackupsAndCachesMustMatchAShard() {
        assertThat(problems(shard("u1", "users-a-m"), shard("u2", "users-n-z"),
                keyed("r1", READ_REPLICA, "users-a-m"), keyed("b2", BACKUP, "USERS-N-Z"), keyed("c1", CACHE, "users-a-m"),
                member("archive", ARCHIVE))).isEmpty();
        assertThat(problems(shard("u1", "users-a-m"), shard("u2", "users-n-z"), keyed("r1", READ_REPLICA, "users-a-z")))
                .containsExactly("groups.users.backends[2].routingKey: routing key users-a-z matches no SHARD of group "
                        + "users (its shards are users-a-m, users-n-z)");
        assertThat(problems(member("p", PRIMARY), keyed("b", BACKUP, "users-a-m"))).containsExactly(
                "groups.users.backends[1].routingKey: routing key users-a-m matches no SHARD of group users "
                        + "(the group has no SHARD backends)");
    }

    @Test
    void primaryCannotHaveARoutingKeyNorSitInAShardedGroup() {
        assertThat(problems(keyed("p", PRIMARY, "users-a-z"))).containsExactly(
                "groups.users.backends[0].routingKey: a PRIMARY cannot have a routing key: a shard's main backend has role SHARD");
        assertThat(problems(shard("u1", "users-a-z"), member("p", PRIMARY))).containsExactly(
                "groups.users.backends[1].role: a sharded group cannot have PRIMARY backends: make it a SHARD with a "
                        + "routing key, or a BACKUP without one to serve every shard");
    }

    @Test
    void prodMemberIsRefusedInAnotherStage() {
        BackendMember prod = BackendMember.builder("db-prod", "http://h:1").label("stage", "prod").build();
        assertThat(Topology.builder().service("s").stage("prep").group("g", prod).problems()).containsExactly(
                new Problem("groups.g.backends[0].labels.stage", "db-prod is labelled for prod but this topology is for "
                        + "stage 'prep': test stages never touch production backends"));
        assertThat(Topology.builder().service("s").stage("prod").group("g", prod).problems()).isEmpty();
        BackendMember wip = BackendMember.builder("db-wip", "http://h:1").label("stage", "wip").build();
        assertThat(Topology.builder().service("s").stage("prep").group("g", wip).problems()).extracting(Problem::message)
                .containsExactly("db-wip is labelled for stage 'wip' but this topology is for stage 'prep': stages do not share backends");
    }

    @Test
    void authAndLabelsRefuseControlCharactersWithoutEchoingSecrets() {
        BackendMember member = BackendMember.builder("a", "http://h:1")
                .auth(BackendAuth.apiKey("X API", "top-secret\r\nInjected: yes"))
                .label("zone", "a\nb").build();
        assertThat(problems(member)).containsExactly(
                "groups.users.backends[0].labels.zone: label value has control characters",
                "groups.users.backends[0].auth.header: not a valid header name: character 2 is \\u0020 (a name is letters, "
                        + "digits and !#$%&'*+.^_`|~-; the secret goes in value, without the name)",
                "groups.users.backends[0].auth.value: the secret contains control characters (a stray newline?)");
        assertThat(problems(BackendMember.builder("a", "http://h:1").auth(BackendAuth.bearer("  ")).build()))
                .containsExactly("groups.users.backends[0].auth.bearer: the secret is empty: is its environment variable set?");
    }

    @Test
    void aHeaderLinePastedAsTheHeaderNameIsNotEchoed() {
        BackendMember member = BackendMember.builder("a", "http://h:1")
                .auth(BackendAuth.apiKey("X-API-Key: top-secret", "top-secret")).build();
        assertThat(problems(member)).singleElement().asString()
                .contains("auth.header: not a valid header name: character 10 is ':'").doesNotContain("top-secret");
    }

    @Test
    void credentialsInAUrlWhoseHostIsNotAHostNameAreRefusedAndMasked() {
        assertThat(problems(BackendMember.builder("a", "http://svc:top-secret@file_server:4001").build())).containsExactly(
                "groups.users.backends[0].url: 'http://****@file_server:4001' has no valid host",
                "groups.users.backends[0].url: credentials in the URL are not allowed (they would show in logs): "
                        + "use auth: { header: ..., value: ... } or auth: { bearer: ... }");
    }

    @Test
    void controlCharactersInNamesAreShownEscaped() {
        assertThat(problems(member("evil\r\nname", PRIMARY))).containsExactly(
                "groups.users.backends[0].name: 'evil\\u000d\\u000aname' is not a valid name (letters, digits, '.', '_', ':', '-'; up to 128)");
    }

    @Test
    void timeoutsMustBePositive() {
        BackendMember member = BackendMember.builder("a", "http://h:1")
                .timeouts(new MemberTimeouts(Duration.ZERO, Duration.ofSeconds(-1))).build();
        assertThat(problems(member)).containsExactly(
                "groups.users.backends[0].timeouts.connect: must be positive, was PT0S",
                "groups.users.backends[0].timeouts.attempt: must be positive, was PT-1S");
    }

    @Test
    void breakerSettingsMustBeInRange() {
        BackendMember member = BackendMember.builder("a", "http://h:1")
                .circuitBreaker(new BreakerSettings(0, null, 101, Duration.ZERO, null)).build();
        assertThat(Topology.builder().service("s").circuitBreakerDefaults(new BreakerSettings(null, -1, null, null, 0))
                .group("g", member).problems()).extracting(Problem::toString).containsExactly(
                "defaults.circuitBreaker.minimumCalls: must be within 1-10000, was -1",
                "defaults.circuitBreaker.halfOpenCalls: must be within 1-1000, was 0",
                "groups.g.backends[0].circuitBreaker.window: must be within 1-10000, was 0",
                "groups.g.backends[0].circuitBreaker.failureRate: must be within 1-100, was 101",
                "groups.g.backends[0].circuitBreaker.openFor: must be positive, was PT0S");
    }

    @Test
    void aMembersBreakerSettingsWinOverTheDefaults() {
        BackendMember member = BackendMember.builder("a", "http://h:1")
                .circuitBreaker(new BreakerSettings(null, null, null, Duration.ofSeconds(30), null)).build();
        Topology topology = Topology.builder().service("s").circuitBreakerDefaults(new BreakerSettings(40, 20, 60, Duration.ofSeconds(5), 2))
                .group("g", member).build();
        assertThat(topology.circuitBreakerOf(member)).isEqualTo(new BreakerSettings(40, 20, 60, Duration.ofSeconds(30), 2));
    }

    @Test
    void membersAreImmutable() {
        BackendMember member = BackendMember.builder("a", "http://h:1").label("zone", "a").build();
        assertThatThrownBy(() -> member.labels().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(member.labels()).isEqualTo(Map.of("zone", "a"));
        assertThat(member.stage()).isNull();
        assertThat(member.auth()).isEqualTo(BackendAuth.none());
        assertThat(member.timeouts().isDefault()).isTrue();
    }
}
