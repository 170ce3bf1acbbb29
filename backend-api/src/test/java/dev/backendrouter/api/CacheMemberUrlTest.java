package dev.backendrouter.api;

import static dev.backendrouter.api.BackendRole.CACHE;
import static dev.backendrouter.api.BackendRole.PRIMARY;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** redis://, rediss:// and redis-sentinel:// members: where they may be, what their URL may hold, where their credentials go. */
class CacheMemberUrlTest {
    private static final BackendMember STORAGE = BackendMember.builder("file-system-server", "http://localhost:4001").build();

    private static List<String> problems(BackendMember cache) {
        return Topology.builder().service("file-service").group("files", cache, STORAGE).problems().stream()
                .map(Problem::toString).toList();
    }

    private static BackendMember cache(String url) {
        return BackendMember.builder("redis-cache", url).role(CACHE).priority(1).build();
    }

    @Test
    void redisUrlsAreValidForCacheMembers() {
        assertThat(problems(cache("redis://localhost:6379/0"))).isEmpty();
        assertThat(problems(cache("redis://cache.internal"))).isEmpty();
        assertThat(problems(cache("rediss://cache.internal:6380/3"))).isEmpty();
        assertThat(problems(cache("redis-sentinel://s1:26379,s2:26379,s3/0#mymaster"))).isEmpty();
        assertThat(problems(cache("REDIS://localhost:6379"))).isEmpty();
    }

    @Test
    void aRedisUrlIsACacheNeverADataTier() {
        BackendMember primary = BackendMember.builder("redis-primary", "redis://localhost:6379/0").role(PRIMARY).build();
        assertThat(Topology.builder().service("s").group("files", primary).problems()).extracting(Problem::toString)
                .contains("groups.files.backends[0].role: a redis:// backend is a cache: give it role CACHE "
                        + "(a PRIMARY backend needs an http or https URL)");
    }

    @Test
    void everyBadPartOfARedisUrlIsReportedAtTheUrl() {
        assertThat(problems(cache("redis://localhost:6379/zero"))).containsExactly("groups.files.backends[0].url: "
                + "the path of 'redis://localhost:6379/zero' must be a database number, such as /0");
        assertThat(problems(cache("redis://localhost:99999/0"))).containsExactly("groups.files.backends[0].url: "
                + "port 99999 is outside 1-65535 in 'redis://localhost:99999/0'");
        assertThat(problems(cache("redis://localhost:6379/0?timeout=1s"))).containsExactly("groups.files.backends[0].url: "
                + "a cache URL takes no query ('redis://localhost:6379/0?****'): give timeouts under timeouts and credentials under auth");
        assertThat(problems(cache("redis-sentinel://s1:26379/0"))).containsExactly("groups.files.backends[0].url: "
                + "'redis-sentinel://s1:26379/0' names no master: write redis-sentinel://sentinel-1:26379,sentinel-2:26379/0#mymaster");
        assertThat(problems(cache("redis://localhost:6379/0#x"))).containsExactly("groups.files.backends[0].url: "
                + "a redis:// URL has no fragment: 'redis://localhost:6379/0#****'");
        assertThat(problems(cache("redis:///0"))).containsExactly("groups.files.backends[0].url: "
                + "'redis:///0' has no host: write redis://host:port/0");
        assertThat(problems(cache("redis://redis_cache:6379/0"))).containsExactly("groups.files.backends[0].url: "
                + "'redis_cache:6379' in 'redis://redis_cache:6379/0' is not host or host:port (a host name has letters, "
                + "digits, '-' and '.': the Redis client misreads '_')");
    }

    @Test
    void credentialsInARedisUrlMoveIntoAuthAndNeverStayInTheUrl() {
        BackendMember withPassword = cache("redis://:s3cr%40t@localhost:6379/0");
        assertThat(withPassword.url()).isEqualTo(URI.create("redis://localhost:6379/0"));
        assertThat(withPassword.auth()).isEqualTo(BackendAuth.password(null, "s3cr@t"));
        BackendMember aclUser = cache("rediss://app:pa55@cache:6380/1");
        assertThat(aclUser.url()).isEqualTo(URI.create("rediss://cache:6380/1"));
        assertThat(aclUser.auth()).isEqualTo(BackendAuth.password("app", "pa55"));
        BackendMember sentinel = cache("redis-sentinel://pw@s1:26379,s2:26379/0#mymaster");
        assertThat(sentinel.url()).isEqualTo(URI.create("redis-sentinel://s1:26379,s2:26379/0#mymaster"));
        assertThat(problems(withPassword)).isEmpty();
        assertThat(withPassword.toString() + aclUser + sentinel + withPassword.auth()).doesNotContain("s3cr").doesNotContain("pa55")
                .contains("password=****");
    }

    @Test
    void aPasswordWithSlashQuestionMarkOrHashStaysWholeAndHidden() throws Exception {
        BackendMember member = new BackendMember("redis-cache", new URI("redis://:ab/cd?e#f@cache:6379/0"), CACHE, 1, 100, null, null, null,
                null, null, null);
        assertThat(member.url()).isEqualTo(URI.create("redis://cache:6379/0"));
        assertThat(member.auth()).isEqualTo(BackendAuth.password(null, "ab/cd?e#f"));
        assertThat(problems(member)).isEmpty();
        BackendMember twice = new BackendMember("redis-cache", new URI("redis://:ab/cd?e#f@cache:6379/0"), CACHE, 1, 100, null,
                null, BackendAuth.password(null, "other"), null, null, null);
        assertThat(problems(twice)).containsExactly(
                "groups.files.backends[0].url: credentials both in the URL and in auth: give them in one place");
        assertThat(twice.toString()).doesNotContain("ab/cd").doesNotContain("e#f").contains("redis://****@cache:6379/0");
    }

    @Test
    void credentialsGivenTwiceOrOfTheWrongKindAreProblems() {
        BackendMember twice = BackendMember.builder("redis-cache", "redis://:one@localhost:6379/0").role(CACHE)
                .auth(BackendAuth.password(null, "two")).build();
        assertThat(problems(twice)).containsExactly(
                "groups.files.backends[0].url: credentials both in the URL and in auth: give them in one place");
        assertThat(twice.toString()).doesNotContain("one").doesNotContain("two");
        BackendMember header = BackendMember.builder("redis-cache", "redis://localhost:6379/0").role(CACHE)
                .auth(BackendAuth.apiKey("X-API-Key", "k")).build();
        assertThat(problems(header)).containsExactly("groups.files.backends[0].auth: a redis:// member authenticates with "
                + "{ password: ... } (and username, for an ACL user) or with credentials in its URL, not with a header");
        BackendMember httpWithPassword = BackendMember.builder("fs", "http://localhost:4002").role(PRIMARY)
                .auth(BackendAuth.password(null, "p")).build();
        assertThat(Topology.builder().service("s").group("files", httpWithPassword).problems()).extracting(Problem::toString)
                .containsExactly("groups.files.backends[0].auth: username and password are for redis cache members: "
                        + "an HTTP member takes { header: X-API-Key, value: ... } or { bearer: ... }");
        assertThat(problems(BackendMember.builder("redis-cache", "redis://localhost:6379/0").role(CACHE)
                .auth(BackendAuth.password(null, " ")).build()))
                .containsExactly("groups.files.backends[0].auth.password: the secret is empty: is its environment variable set?");
    }

    @Test
    void tlsSettingsBelongToRedissMembersAndPinsToHttps() {
        MemberTls trust = new MemberTls("ca.pem", null, null, List.of());
        assertThat(problems(BackendMember.builder("redis-cache", "rediss://localhost:6380/0").role(CACHE).tls(trust).build()))
                .isEmpty();
        assertThat(problems(BackendMember.builder("redis-cache", "redis://localhost:6379/0").role(CACHE).tls(trust).build()))
                .containsExactly("groups.files.backends[0].tls: tls settings apply to rediss:// members, but the url is "
                        + "'redis://localhost:6379/0': use rediss:// or remove tls");
        MemberTls pinned = new MemberTls(null, null, null, List.of("sha256/" + "A".repeat(43) + "="));
        assertThat(problems(BackendMember.builder("redis-cache", "rediss://localhost:6380/0").role(CACHE).tls(pinned).build()))
                .containsExactly("groups.files.backends[0].tls.pins: pins are checked for https members; for a rediss:// "
                        + "member give trustedCertificates or trustStore");
    }
}
