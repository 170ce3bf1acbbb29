package dev.backendrouter.router.reliability;

import dev.backendrouter.api.BackendAuth;
import dev.backendrouter.api.BackendMember;
import dev.backendrouter.api.BackendRole;
import dev.backendrouter.api.MemberTls;
import dev.backendrouter.api.Secret;
import dev.backendrouter.api.Topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Credentials do not serialize: the model's records hold each secret as a {@link Secret}, which
 * has nothing a mapper can read and prints as {@code ****}. Checked with Jackson 3 and Jackson 2,
 * each by default and with {@code FAIL_ON_EMPTY_BEANS} the other way (Jackson 3 writes {@code {}}
 * for a secret by default, Jackson 2 refuses it), and with the JDK's own record {@code toString}.
 */
class SecretSerializationTest {
    private static final String API_KEY = "sk-live-SERIAL-91c2e7";
    private static final String BEARER = "tok-SERIAL-bearer-5d01";
    private static final String REDIS_PASSWORD = "redis-SERIAL-pw-77a3";
    private static final String STORE_PASSWORD = "store-SERIAL-pw-3e9b";
    private static final List<String> ALL = List.of(API_KEY, BEARER, REDIS_PASSWORD, STORE_PASSWORD);

    /** An application's own record holding the model: its toString is the JDK's. */
    record Holder(BackendMember member, BackendAuth auth, MemberTls tls, Secret secret) {
    }

    private static Topology topology() {
        return Topology.builder().service("svc")
                .group("files",
                        BackendMember.builder("primary", "https://fs-1.internal:8443")
                                .auth(BackendAuth.apiKey("X-API-Key", API_KEY))
                                .tls(MemberTls.trustStore("trust.p12", STORE_PASSWORD)).build(),
                        BackendMember.builder("backup", "http://fs-2.internal:8080").role(BackendRole.BACKUP).priority(2)
                                .auth(BackendAuth.bearer(BEARER)).build(),
                        BackendMember.builder("cache", "redis://app:" + REDIS_PASSWORD + "@cache.internal:6379/0")
                                .role(BackendRole.CACHE).build())
                .build();
    }

    /** Every part holding a secret; all but the topology (a class with no getters) are records. */
    private static List<Object> everyPart() {
        List<Object> parts = new java.util.ArrayList<>(records());
        parts.add(0, topology());
        return parts;
    }

    private static List<Object> records() {
        Topology topology = topology();
        List<BackendMember> members = topology.groups().get(0).members();
        return List.of(topology.groups().get(0), members.get(0), members.get(1), members.get(2),
                members.get(0).auth(), members.get(1).auth(), members.get(2).auth(), members.get(0).tls(),
                members.get(0).auth().headerValue(), members.get(1).auth().headerValue(),
                new Holder(members.get(0), members.get(1).auth(), members.get(0).tls(), Secret.of(API_KEY)));
    }

    private static final java.util.concurrent.atomic.AtomicInteger TEXTS = new java.util.concurrent.atomic.AtomicInteger();

    @org.junit.jupiter.api.AfterAll
    static void recordFigures() {
        Figures.record("hardening", "credentials: texts of the model written by toString, Jackson 3 and Jackson 2, none with a secret",
                TEXTS.get());
    }

    private static void assertNoSecret(String what, String text) {
        TEXTS.incrementAndGet();
        for (String secret : ALL) {
            assertThat(text).as(what).doesNotContain(secret);
        }
    }

    @Test
    void theSecretIsThereToSendButOnlyThroughReveal() {
        List<BackendMember> members = topology().groups().get(0).members();
        assertThat(members.get(0).auth().headerValue().reveal()).isEqualTo(API_KEY);
        assertThat(members.get(1).auth().headerValue().reveal()).isEqualTo("Bearer " + BEARER);
        assertThat(((BackendAuth.Password) members.get(2).auth()).password().reveal()).isEqualTo(REDIS_PASSWORD);
        assertThat(members.get(0).tls().trustStorePassword().reveal()).isEqualTo(STORE_PASSWORD);
        assertThat(Secret.of("a")).isEqualTo(Secret.of("a")).isNotEqualTo(Secret.of("b")).hasSameHashCodeAs(Secret.of("b"));
        assertThat(topology()).as("a reload with the same credentials is the same topology").isEqualTo(topology());
    }

    @Test
    void everyToStringMasksAndTheJdksRecordToStringToo() {
        for (Object part : everyPart()) {
            assertNoSecret(part.getClass().getSimpleName() + " toString", String.valueOf(part));
        }
        assertThat(Secret.of(API_KEY)).hasToString("****");
        assertThat(new Holder(null, null, null, Secret.of(API_KEY)).toString()).endsWith("secret=****]");
    }

    @Test
    void jackson3WritesTheShapeWithoutTheSecret() {
        // Jackson 3 writes a type with nothing to read as {} by default
        for (Object part : everyPart()) {
            assertNoSecret(part.getClass().getSimpleName() + " as Jackson 3 JSON", JsonMapper.shared().writeValueAsString(part));
        }
        String json = JsonMapper.builder().disable(DateTimeFeature.WRITE_DURATIONS_AS_TIMESTAMPS).build()
                .writeValueAsString(topology().groups().get(0));
        assertThat(json).contains("\"header\":\"X-API-Key\"", "\"value\":{}", "\"token\":{}", "\"password\":{}",
                "\"trustStorePassword\":{}", "\"username\":\"app\"");
    }

    @Test
    void jackson3WithEmptyBeansRefusedNamesOnlyTheType() {
        JsonMapper mapper = JsonMapper.builder().enable(tools.jackson.databind.SerializationFeature.FAIL_ON_EMPTY_BEANS).build();
        for (Object part : records()) {
            assertThatThrownBy(() -> mapper.writeValueAsString(part)).as(part.getClass().getSimpleName())
                    .isInstanceOf(tools.jackson.databind.exc.InvalidDefinitionException.class)
                    .hasMessageContaining("dev.backendrouter.api.Secret")
                    .satisfies(thrown -> assertNoSecret("Jackson 3's message", thrown.getMessage()));
        }
    }

    @Test
    void jackson2RefusesToWriteASecretByDefaultAndWritesNoneWhenAllowed() throws Exception {
        // Jackson 2 refuses a type with nothing to read by default
        ObjectMapper mapper = new ObjectMapper();
        for (Object part : records()) {
            assertThatThrownBy(() -> mapper.writeValueAsString(part)).as(part.getClass().getSimpleName())
                    .isInstanceOf(com.fasterxml.jackson.databind.exc.InvalidDefinitionException.class)
                    .hasMessageContaining("dev.backendrouter.api.Secret")
                    .satisfies(thrown -> assertNoSecret("Jackson 2's message", thrown.getMessage()));
        }
        String json = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .writeValueAsString(topology().groups().get(0).members());
        assertNoSecret("Jackson 2 JSON", json);
        assertThat(json).contains("\"header\":\"X-API-Key\"", "\"value\":{}", "\"token\":{}", "\"password\":{}");
    }
}
