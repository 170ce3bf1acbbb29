package dev.backendrouter.redis;

import static dev.backendrouter.redis.Routers.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.backendrouter.api.RoutingKey;
import dev.backendrouter.router.BackendRouter;
import dev.backendrouter.router.CacheRead;
import dev.backendrouter.router.CallOptions;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generic front door with Redis CACHE members: values through the codec, typed, per shard, invalidated by writes. */
class RedisGenericCacheIntegrationTest {
    record User(String name, int age) {
    }

    static RedisServer redis;
    @TempDir
    Path dir;
    Path topology;
    final AtomicInteger databaseCalls = new AtomicInteger();

    @BeforeAll
    static void start() {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stop() {
        if (redis != null) {     // null when the test class was skipped for want of redis-server
            redis.close();
        }
    }

    @BeforeEach
    void fresh() {
        redis.command("FLUSHALL");
        // the users shards are databases: the router picks the member, the call reads it; each shard has its own Redis database
        topology = Routers.write(dir, "users.yaml", "service: profile-service\n"
                + "groups:\n"
                + "  users:\n"
                + "    backends:\n"
                + "      - { name: users-a-m, url: \"http://127.0.0.1:5001\", role: SHARD, routingKey: users-a-m }\n"
                + "      - { name: users-n-z, url: \"http://127.0.0.1:5002\", role: SHARD, routingKey: users-n-z }\n"
                + "      - { name: cache-a-m, url: \"" + redis.url(1) + "\", role: CACHE, routingKey: users-a-m }\n"
                + "      - { name: cache-n-z, url: \"" + redis.url(2) + "\", role: CACHE, routingKey: users-n-z }\n");
    }

    private User fromDatabase(String name) {
        databaseCalls.incrementAndGet();
        return new User(name, name.length());
    }

    @Test
    void aTypedValueIsSharedBetweenRoutersThroughTheShardsOwnRedis() {
        CallOptions alice = CallOptions.defaults().withCacheKey("user:alice", User.class);
        try (BackendRouter first = Routers.router(topology); BackendRouter second = Routers.router(topology)) {
            User read = first.group("users").read(RoutingKey.of("alice"), alice, member -> fromDatabase("alice"));
            assertThat(read).isEqualTo(new User("alice", 5));
            await("cached in the a-m shard's database", () -> "1".equals(existsIn(1, "br:profile-service:users:s:users-a-m:k:user:alice")));
            CacheRead<User> again = second.group("users").readCached(RoutingKey.of("alice"), alice, member -> fromDatabase("alice"));
            assertThat(again.value()).isEqualTo(new User("alice", 5));
            assertThat(databaseCalls).hasValue(1);
            assertThat(existsIn(2, "br:profile-service:users:s:users-a-m:k:user:alice")).isEqualTo("0");
        }
    }

    @Test
    void aWriteInvalidatesTheKeyOnItsShardsCache() {
        CallOptions nina = CallOptions.defaults().withCacheKey("user:nina", User.class);
        String key = "br:profile-service:users:s:users-n-z:k:user:nina";
        try (BackendRouter writer = Routers.router(topology); BackendRouter reader = Routers.router(topology)) {
            writer.group("users").read(RoutingKey.of("nina"), nina, member -> fromDatabase("nina"));
            await("cached", () -> "1".equals(existsIn(2, key)));
            writer.group("users").write(RoutingKey.of("nina"), nina, member -> "saved");
            await("invalidated", () -> "0".equals(existsIn(2, key)));
            reader.group("users").read(RoutingKey.of("nina"), nina, member -> fromDatabase("nina"));
            assertThat(databaseCalls).hasValue(2);
        }
    }

    @Test
    void plainValuesNeedNoTypeAndOtherValuesAreNotSharedWithoutOne() {
        try (BackendRouter first = Routers.router(topology); BackendRouter second = Routers.router(topology)) {
            CallOptions name = CallOptions.defaults().withCacheKey("name:bob");
            assertThat(first.group("users").<String>read(RoutingKey.of("bob"), name, member -> "Bob")).isEqualTo("Bob");
            await("the String is cached", () -> "1".equals(existsIn(1, "br:profile-service:users:s:users-a-m:k:name:bob")));
            assertThat(second.group("users").<String>read(RoutingKey.of("bob"), name, member -> "not asked")).isEqualTo("Bob");

            // a record without its type: served, never written (the router would not know what to decode it as)
            CallOptions untyped = CallOptions.defaults().withCacheKey("user:carol");
            assertThat(first.group("users").<User>read(RoutingKey.of("carol"), untyped, member -> fromDatabase("carol")))
                    .isEqualTo(new User("carol", 5));
            // a String read after it is written by the same background writer: once it is there, carol's would be too
            first.group("users").read(RoutingKey.of("erin"), CallOptions.defaults().withCacheKey("name:erin"), member -> "Erin");
            await("the later String is cached", () -> "1".equals(existsIn(1, "br:profile-service:users:s:users-a-m:k:name:erin")));
            assertThat(existsIn(1, "br:profile-service:users:s:users-a-m:k:user:carol")).isEqualTo("0");
        }
    }

    @Test
    void anEntryOfAnotherTypeIsAMissNotAWrongValue() {
        try (BackendRouter first = Routers.router(topology); BackendRouter second = Routers.router(topology)) {
            first.group("users").read(RoutingKey.of("dave"), CallOptions.defaults().withCacheKey("user:dave"), member -> "Dave");
            await("cached", () -> "1".equals(existsIn(1, "br:profile-service:users:s:users-a-m:k:user:dave")));
            User read = second.group("users").read(RoutingKey.of("dave"),
                    CallOptions.defaults().withCacheKey("user:dave", User.class), member -> fromDatabase("dave"));
            assertThat(read).isEqualTo(new User("dave", 4));
            assertThat(databaseCalls).hasValue(1);
        }
    }

    private static String existsIn(int database, String key) {
        return redis.command("EVAL", "redis.call('SELECT', ARGV[1]) return redis.call('EXISTS', KEYS[1])", "1", key,
                Integer.toString(database));
    }
}
