package dev.backendrouter.router.reliability;

import static dev.backendrouter.router.reliability.Secrets.API_KEY;
import static dev.backendrouter.router.reliability.Secrets.BEARER;
import static dev.backendrouter.router.reliability.Secrets.CUSTOM;
import static dev.backendrouter.router.reliability.Secrets.FROM_ENV;
import static dev.backendrouter.router.reliability.Secrets.QUERY;
import static dev.backendrouter.router.reliability.Secrets.REGISTRY_KEY;
import static dev.backendrouter.router.reliability.Secrets.USERINFO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.backendrouter.api.BackendAuth;
import dev.backendrouter.api.BackendGroup;
import dev.backendrouter.api.BackendMember;
import dev.backendrouter.api.Topology;
import dev.backendrouter.api.TopologyException;
import dev.backendrouter.router.TopologyFileSource;
import dev.backendrouter.router.TopologySource;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Secrets in topologies — API keys, bearer tokens, custom header values, a placeholder resolved
 * to a secret, credentials in URLs (refused) — never show in the model's {@code toString}s, nor in
 * any problem of an invalid topology, nor in a log line. The routing and registry halves are
 * {@link SecretsRoutingIntegrationTest} and {@link SecretsRegistryIntegrationTest}.
 */
@Tag("captured-logs")
class SecretsIntegrationTest {
    private static final Map<String, String> ENV = Map.of("API_KEY", FROM_ENV);

    @TempDir
    Path dir;

    @BeforeEach
    void forgetEarlierLogLines() {
        CapturedLogs.clear();
    }

    @AfterAll
    static void figures() {
        Secrets.recordFigures();
    }

    private TopologyFileSource file(String name, String text) throws IOException {
        return TopologySource.file(Files.writeString(dir.resolve(name), text)).withEnvironment(ENV::get);
    }

    private TopologyException invalid(String name, String text) throws IOException {
        TopologyFileSource source = file(name, text);
        Secrets.assertCleanToString(name + " source", source);
        return catchThrowableOfType(TopologyException.class, source::load);
    }

    @Test
    void theCapturedAppenderRecordsEveryLevelWithTheWholeCauseChain() {
        IllegalStateException failure = new IllegalStateException("outer", new java.io.IOException("inner cause text"));

        LoggerFactory.getLogger("secrets.check").debug("debug line {} of {}", 1, 2);
        LoggerFactory.getLogger("secrets.check").warn("warn line with {}", "an argument", failure);

        List<CapturedLogs.Event> events = CapturedLogs.events();
        assertThat(CapturedLogs.isActive()).isTrue();
        assertThat(events).extracting(CapturedLogs.Event::level, CapturedLogs.Event::logger, CapturedLogs.Event::message)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(Level.DEBUG, "secrets.check", "debug line 1 of 2"),
                        org.assertj.core.groups.Tuple.tuple(Level.WARN, "secrets.check", "warn line with an argument"));
        assertThat(events.get(1).throwable()).contains("IllegalStateException: outer", "Caused by: java.io.IOException: inner cause text");
        Secrets.assertLogsClean("the appender's own check");
    }

    @Test
    void theModelNeverShowsACredential() {
        BackendMember apiKey = BackendMember.builder("fs-1", "http://127.0.0.1:4001")
                .auth(BackendAuth.apiKey("X-API-Key", API_KEY)).build();
        BackendMember bearer = BackendMember.builder("fs-2", "http://127.0.0.1:4002").role(dev.backendrouter.api.BackendRole.BACKUP)
                .auth(BackendAuth.bearer(BEARER)).build();
        BackendMember custom = BackendMember.builder("fs-3", "http://127.0.0.1:4003").role(dev.backendrouter.api.BackendRole.ARCHIVE)
                .auth(BackendAuth.apiKey("X-Storage-Token", CUSTOM)).build();
        BackendGroup group = BackendGroup.of("storage", apiKey, bearer, custom);
        Topology topology = Topology.builder().service("file-service").version("7").group(group).build();

        for (Object value : List.of(apiKey.auth(), bearer.auth(), custom.auth(), apiKey, bearer, custom, group, topology,
                topology.groups(), TopologySource.registry(URI.create("http://127.0.0.1:1"), 123)
                        .withAuth(BackendAuth.apiKey("X-API-Key", REGISTRY_KEY)))) {
            Secrets.assertCleanToString(value.getClass().getSimpleName(), value);
        }
        assertThat(apiKey.auth().headerValue().reveal()).as("the credential is still there to send").isEqualTo(API_KEY);
        assertThat(bearer.auth().headerValue().reveal()).isEqualTo("Bearer " + BEARER);
        assertThat(topology.toString()).contains("X-API-Key", "X-Storage-Token", "****");
    }

    @Test
    void aPlaceholderResolvedToASecretIsUsedButNeverShown() throws IOException {
        TopologyFileSource source = file("topology.yaml", """
                service: file-service
                groups:
                  storage:
                    backends:
                      - { name: fs-1, url: "http://127.0.0.1:4001", auth: { header: X-API-Key, value: "${API_KEY}" } }
                """);

        Topology topology = source.load();

        assertThat(topology.groups().get(0).members().get(0).auth().headerValue().reveal()).isEqualTo(FROM_ENV);
        Secrets.assertCleanToString("the topology of a resolved placeholder", topology);
        Secrets.assertCleanToString("its source", source);
        Secrets.assertLogsClean("loading a file with a resolved placeholder");
    }

    @Test
    void problemsOfAMemberWithASecretNeverEchoIt() throws IOException {
        TopologyException e = invalid("topology.yaml", """
                service: file-service
                groups:
                  storage:
                    backends:
                      - { name: fs-1, url: "http://127.0.0.1:4001", role: MASTER, weight: heavy, prority: 2,
                          auth: { header: X-API-Key, value: "%s", bearer: "%s" } }
                      - { name: fs-2, url: "http://127.0.0.1:4002", auth: { header: X-API-Key, value: "${API_KEY}\\n" } }
                      - { name: fs-3, url: "http://127.0.0.1:4003", auth: { bearer: ["%s"] } }
                      - { name: fs-4, url: "http://127.0.0.1:4004", auth: "%s" }
                      - { name: fs-5, url: "http://127.0.0.1:4005", auth: { header: X-API-Key, valeu: "%s" } }
                      - { name: fs-6, url: "http://127.0.0.1:4006", auth: { header: X-API-Key, value: "%s${oops" } }
                """.formatted(API_KEY, BEARER, CUSTOM, API_KEY, BEARER, CUSTOM));

        assertThat(e.problems()).extracting(dev.backendrouter.api.Problem::path).contains(
                "groups.storage.backends[0].role", "groups.storage.backends[0].auth",
                "groups.storage.backends[1].auth.value", "groups.storage.backends[2].auth.bearer",
                "groups.storage.backends[3].auth", "groups.storage.backends[4].auth.valeu",
                "groups.storage.backends[5].auth.value");
        Secrets.assertClean("a topology with bad members holding secrets", e);
        Secrets.assertLogsClean("loading an invalid topology");
    }

    @Test
    void credentialsInAUrlAreRefusedWithoutShowingThem() throws IOException {
        TopologyException e = invalid("topology.yaml", """
                service: file-service
                groups:
                  storage:
                    backends:
                      - { name: fs-1, url: "http://svc:%1$s@127.0.0.1:4001" }
                      - { name: fs-2, url: "http://127.0.0.1:4002/api?api_key=%2$s", role: BACKUP }
                      - { name: fs-3, url: "ftp://svc:%1$s@127.0.0.1:4003", role: BACKUP }
                      - { name: fs-4, url: "http://svc:%1$s@127.0.0.1:99999", role: BACKUP }
                      - { name: fs-5, url: "http://svc:%1$s@file_server:4005", role: BACKUP }
                      - { name: fs-6, url: "http://127.0.0.1:4006/#token=%2$s", role: BACKUP }
                      - { name: fs-7, url: "http://127.0.0.1:4007/?k=${API_KEY}", role: BACKUP }
                """.formatted(USERINFO, QUERY));

        assertThat(e.problems()).extracting(dev.backendrouter.api.Problem::path).contains(
                "groups.storage.backends[0].url", "groups.storage.backends[1].url", "groups.storage.backends[2].url",
                "groups.storage.backends[3].url", "groups.storage.backends[4].url", "groups.storage.backends[5].url",
                "groups.storage.backends[6].url");
        Secrets.assertClean("a topology with credentials in its URLs", e);
    }

    @Test
    void syntaxErrorsNextToASecretNeverQuoteIt() throws IOException {
        TopologyException json = invalid("topology.json", """
                {"service": "file-service", "groups": {"storage": {"backends": [
                  {"name": "fs-1", "url": "http://127.0.0.1:4001", "auth": {"header": "X-API-Key", "value": %s}}]}}}
                """.formatted(API_KEY));
        TopologyException yaml = invalid("topology.yaml", """
                service: file-service
                groups:
                  storage:
                    backends:
                      - { name: fs-1, url: "http://127.0.0.1:4001", auth: { bearer: "%s } }
                """.formatted(BEARER));
        TopologyException yamlIndent = invalid("indent.yaml", """
                service: file-service
                groups:
                  storage:
                    backends:
                      - name: fs-1
                        url: http://127.0.0.1:4001
                        auth: { header: X-API-Key, value: %s }: x
                """.formatted(CUSTOM));

        assertThat(json.problems().get(0).message()).startsWith("JSON syntax");
        assertThat(yaml.problems().get(0).message()).startsWith("YAML syntax");
        assertThat(yamlIndent.problems().get(0).message()).startsWith("YAML syntax");
        Secrets.assertClean("a JSON syntax error at an unquoted secret", json);
        Secrets.assertClean("a YAML syntax error in an unterminated secret", yaml);
        Secrets.assertClean("a YAML syntax error on a secret's line", yamlIndent);
    }

    @Test
    void aStageOverlayWithASecretIsMergedAndNeverEchoed() throws IOException {
        file("topology.yaml", """
                service: file-service
                groups:
                  storage:
                    backends:
                      - { name: fs-1, url: "http://127.0.0.1:4001" }
                """);
        Files.writeString(dir.resolve("topology-prep.yaml"), """
                groups:
                  storage:
                    backends:
                      - { name: fs-l, auth: { header: X-API-Key, value: "%s" } }
                      - { name: fs-1, auth: { bearer: "%s" }, labels: { stage: prod } }
                """.formatted(API_KEY, BEARER));

        TopologyException e = catchThrowableOfType(TopologyException.class,
                () -> TopologySource.file(dir.resolve("topology.yaml")).forStage("prep").load());

        assertThat(e.problems()).hasSize(2);
        Secrets.assertClean("an overlay with secrets under a misspelled name", e);
    }

    @Test
    void aTopologyBuiltInCodeWithBadCredentialsNeverShowsThem() {
        Topology.Builder builder = Topology.builder().service("file-service").group("storage",
                BackendMember.builder("fs-1", "http://svc:" + USERINFO + "@127.0.0.1:4001")
                        .auth(BackendAuth.apiKey("X-API-Key", API_KEY + "\r\n")).build(),
                BackendMember.builder("fs-2", "http://127.0.0.1:4002").role(dev.backendrouter.api.BackendRole.BACKUP)
                        .auth(BackendAuth.apiKey("X API Key", CUSTOM)).build(),
                BackendMember.builder("fs-3", "http://127.0.0.1:4003").role(dev.backendrouter.api.BackendRole.BACKUP)
                        .auth(BackendAuth.bearer("\t" + BEARER)).build());

        TopologyException e = catchThrowableOfType(TopologyException.class, builder::build);

        assertThat(e.problems()).extracting(dev.backendrouter.api.Problem::path).contains(
                "groups.storage.backends[0].url", "groups.storage.backends[0].auth.value",
                "groups.storage.backends[1].auth.header", "groups.storage.backends[2].auth.bearer");
        Secrets.assertClean("a topology built in code with bad credentials", e);
        Secrets.assertCleanToString("its builder's problems", builder.problems());
    }

    @Test
    void aSecretPastedIntoTheHeaderNameIsNotEchoed() throws IOException {
        TopologyException e = invalid("topology.yaml", """
                service: file-service
                groups:
                  storage:
                    backends:
                      - { name: fs-1, url: "http://127.0.0.1:4001", auth: { header: "X-API-Key: %s", value: "%s" } }
                """.formatted(API_KEY, API_KEY));

        assertThat(e.problems()).extracting(dev.backendrouter.api.Problem::path).containsExactly("groups.storage.backends[0].auth.header");
        Secrets.assertClean("a header name holding a pasted secret", e);
    }

    @Test
    void theRegistrySourceNeverShowsItsKeyNorCredentialsInItsUrl() {
        Object withKey = TopologySource.registry(URI.create("http://127.0.0.1:1"), 123)
                .withAuth(BackendAuth.apiKey("X-API-Key", REGISTRY_KEY)).forStage("prep");
        Object withUserInfo = TopologySource.registry(URI.create("http://svc:" + USERINFO + "@127.0.0.1:1/reg?key=" + QUERY), 123);

        Secrets.assertCleanToString("a registry source with a key", withKey);
        Secrets.assertCleanToString("a registry source with credentials in its URL", withUserInfo);
        assertThat(withUserInfo.toString()).contains("http://127.0.0.1:1/reg/api/backends/deployment/123/details");
    }
}
