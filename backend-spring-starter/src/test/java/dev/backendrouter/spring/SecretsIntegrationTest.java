package dev.backendrouter.spring;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A web application with the starter, on loopback: its backends and its registry hold secrets
 * (an API key, a bearer token, the registry's key). Over real HTTP, {@code /actuator/backends},
 * {@code /actuator/health}, {@code /actuator/env} and {@code /actuator/configprops} (values shown:
 * {@code always}) show none of them, nor does anything the application logs — also when a backend
 * quotes its key in an error, when the registry refuses the key, and when start-up fails on an
 * invalid topology — while every backend and the registry still get their credential.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecretsIntegrationTest {
    private static final String API_KEY = "sk-live-SECRET-4f9a1c7e2b";
    private static final String BEARER = "tok-SECRET-bearer-8d2e55a1";
    private static final String REGISTRY_KEY = "reg-SECRET-key-19fe04aa";
    private static final String USERINFO = "usr-SECRET-pass-2c81ff90";
    private static final List<String> SECRETS = List.of(API_KEY, BEARER, REGISTRY_KEY, USERINFO);
    private static final List<String> ENDPOINTS = List.of("/actuator", "/actuator/backends", "/actuator/health",
            "/actuator/env", "/actuator/configprops");
    private static final String DETAILS = "/api/backends/deployment/123/details";

    private static int texts;
    private static int credentialChecks;
    private static int leaks;

    private final OkHttpClient http = new OkHttpClient();
    private final WireMockServer primary = server();
    private final WireMockServer backup = server();

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Application {
    }

    private static WireMockServer server() {
        WireMockServer server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort().gzipDisabled(true));
        server.start();
        server.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().withBody("ok")));
        return server;
    }

    @AfterEach
    void stop() {
        primary.stop();
        backup.stop();
    }

    /** Writes the figures as backend-router's Figures does: {@code target/reliability/secrets.tsv}. */
    @AfterAll
    static void figures() throws IOException {
        Path dir = Files.createDirectories(Path.of("target", "reliability"));
        Files.write(dir.resolve("secrets.tsv"), List.of(
                "secret values planted\t" + SECRETS.size(),
                "texts searched (endpoint bodies, exceptions, application output)\t" + texts,
                "backend requests checked for their credential\t" + credentialChecks,
                "leaks\t" + leaks));
    }

    private static synchronized void assertClean(String what, String text) {
        texts++;
        for (String secret : SECRETS) {
            for (String part : List.of(secret, secret.substring(0, 8), secret.substring(secret.length() - 8))) {
                if (text.contains(part)) {
                    leaks++;
                    throw new AssertionError(what + " shows a secret (" + part + "):\n" + text);
                }
            }
        }
    }

    private static void assertClean(String what, Throwable thrown) {
        StringWriter stack = new StringWriter();
        thrown.printStackTrace(new PrintWriter(stack));
        assertClean(what, stack.toString());
    }

    private static synchronized void assertCredential(WireMockServer server, String path, String header, String value) {
        List<LoggedRequest> requests = server.findAll(anyRequestedFor(urlPathEqualTo(path)));
        assertThat(requests).as("requests to %s", path).isNotEmpty()
                .allSatisfy(request -> assertThat(request.getHeader(header)).isEqualTo(value));
        credentialChecks++;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static Map<String, Object> web(Map<String, Object> properties) {
        Map<String, Object> all = new LinkedHashMap<>(properties);
        all.put("spring.application.name", "file-service");
        all.put("server.address", "127.0.0.1");
        all.put("server.port", "0");
        all.put("management.endpoints.web.exposure.include", "health,backends,env,configprops");
        all.put("management.endpoint.health.show-details", "always");
        all.put("management.endpoint.env.show-values", "always");
        all.put("management.endpoint.configprops.show-values", "always");
        return all;
    }

    private static ConfigurableApplicationContext start(Map<String, Object> properties) {
        return new SpringApplicationBuilder(Application.class).properties(web(properties)).run();
    }

    private Map<String, String> actuator(ConfigurableApplicationContext context) {
        String base = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
        Map<String, String> bodies = new LinkedHashMap<>();
        for (String path : ENDPOINTS) {
            try (Response response = http.newCall(new Request.Builder().url(base + path).build()).execute()) {
                assertThat(response.code()).as(path).isIn(200, 503);
                bodies.put(path, response.body().string());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        bodies.forEach((path, body) -> assertClean(path, body));
        return bodies;
    }

    private Map<String, Object> inlineGroups() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("backend-router.health.interval", "100ms");
        properties.put("backend-router.groups.storage.backends[0].name", "fs-1");
        properties.put("backend-router.groups.storage.backends[0].url", primary.baseUrl());
        properties.put("backend-router.groups.storage.backends[0].auth.header", "X-API-Key");
        properties.put("backend-router.groups.storage.backends[0].auth.value", API_KEY);
        properties.put("backend-router.groups.storage.backends[1].name", "fs-2");
        properties.put("backend-router.groups.storage.backends[1].url", backup.baseUrl());
        properties.put("backend-router.groups.storage.backends[1].role", "BACKUP");
        properties.put("backend-router.groups.storage.backends[1].priority", "2");
        properties.put("backend-router.groups.storage.backends[1].auth.bearer", BEARER);
        return properties;
    }

    @Test
    void theActuatorAndTheLogsShowNoCredentialOfTheBackends(CapturedOutput output) throws IOException {
        primary.stubFor(get(urlPathEqualTo("/files/1")).willReturn(aResponse().withStatus(503)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"code\":\"QUOTA\",\"message\":\"key " + API_KEY + " is over its quota\"}}")));
        try (ConfigurableApplicationContext context = start(inlineGroups())) {
            OkHttpClient routed = context.getBean("backendRouterHttpClient", OkHttpClient.class);
            try (Response response = routed.newCall(new Request.Builder().url("http://storage/files/1").build()).execute()) {
                assertThat(response.body().string()).isEqualTo("ok");
            }

            Map<String, String> bodies = actuator(context);

            assertThat(bodies.get("/actuator/backends")).contains("X-API-Key: ****", "Authorization: Bearer ****");
            assertThat(bodies.get("/actuator/health")).contains("\"lastError\"", "QUOTA");
            assertThat(bodies.get("/actuator/env")).contains("backend-router.groups.storage.backends[0].auth.header",
                    "X-API-Key", primary.baseUrl());
            assertThat(bodies.get("/actuator/configprops")).contains("X-API-Key");
            assertCredential(primary, "/files/1", "X-API-Key", API_KEY);
            assertCredential(backup, "/files/1", "Authorization", "Bearer " + BEARER);
            assertCredential(primary, "/health", "X-API-Key", API_KEY);
        }
        assertThat(output.getErr()).contains("Health of fs-1");
        assertClean("the application's output", output.getAll());
    }

    @Test
    void theRegistryKeyIsSentButNeverShownAlsoWhenTheRegistryRefusesIt(CapturedOutput output) throws IOException {
        WireMockServer registry = server();
        try {
            registry.stubFor(get(urlPathEqualTo(DETAILS)).withHeader("X-API-Key", equalTo(REGISTRY_KEY)).willReturn(aResponse()
                    .withHeader("Content-Type", "application/json").withHeader("ETag", "\"v1\"").withBody("""
                            {"deployment": {"id": 123, "serviceName": "file-service", "name": "file-service-1"},
                             "backends": [{"connection": {"id": 1, "serviceDeploymentId": 123, "backendDeploymentId": 456,
                                                          "group": "storage"},
                                           "deployment": {"id": 456, "name": "fs-1", "url": "%s"}}]}
                            """.formatted(primary.baseUrl()))));
            Map<String, Object> properties = new LinkedHashMap<>();
            properties.put("backend-router.health.enabled", "false");
            properties.put("backend-router.registry.url", registry.baseUrl());
            properties.put("backend-router.registry.deployment-id", "123");
            properties.put("backend-router.registry.poll-interval", "100ms");
            properties.put("backend-router.registry.auth-header", "X-API-Key");
            properties.put("backend-router.registry.auth-value", REGISTRY_KEY);
            try (ConfigurableApplicationContext context = start(properties)) {
                Map<String, String> bodies = actuator(context);
                assertThat(bodies.get("/actuator/env")).contains("backend-router.registry.auth-header", "******");
                assertThat(bodies.get("/actuator/configprops")).contains("authValue");

                registry.resetMappings();
                registry.stubFor(get(urlPathEqualTo(DETAILS)).willReturn(aResponse().withStatus(401)));
                long until = System.nanoTime() + 10_000_000_000L;
                while (!output.getErr().contains("HTTP 401") && System.nanoTime() < until) {
                    sleep(20);
                }
                actuator(context);
            }
            assertCredential(registry, DETAILS, "X-API-Key", REGISTRY_KEY);
            assertThat(output.getErr()).contains("rejected", "HTTP 401 (check the registry credentials)");
            assertClean("the application's output", output.getAll());
        } finally {
            registry.stop();
        }
    }

    @Test
    void aStartUpFailingOnAnInvalidTopologyShowsNoSecret(CapturedOutput output) {
        Map<String, Object> properties = inlineGroups();
        properties.put("backend-router.groups.storage.backends[0].role", "MASTER");
        properties.put("backend-router.groups.storage.backends[0].auth.value", API_KEY + "\n");
        properties.put("backend-router.groups.storage.backends[1].url", "http://svc:" + USERINFO + "@127.0.0.1:1");

        Throwable failed = catchThrowable(() -> start(properties).close());

        assertThat(failed).isNotNull();
        assertThat(output.getAll()).contains("APPLICATION FAILED TO START", "groups.storage.backends[0].role",
                "groups.storage.backends[0].auth.value", "groups.storage.backends[1].url");
        assertClean("the start-up failure", failed);
        assertClean("the application's output", output.getAll());
    }

    @Test
    void aStartUpFailingOnARegistryThatRefusesTheKeyShowsNoSecret(CapturedOutput output) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("backend-router.registry.url", "http://svc:" + USERINFO + "@" + primary.baseUrl().substring(7));
        properties.put("backend-router.registry.deployment-id", "123");
        properties.put("backend-router.registry.auth-header", "X-API-Key");
        properties.put("backend-router.registry.auth-value", REGISTRY_KEY);
        primary.stubFor(get(urlPathEqualTo(DETAILS)).willReturn(aResponse().withStatus(403)));

        Throwable failed = catchThrowable(() -> start(properties).close());

        assertThat(failed).isNotNull();
        assertThat(output.getAll()).contains("could not be loaded", "HTTP 403");
        assertCredential(primary, DETAILS, "X-API-Key", REGISTRY_KEY);
        assertClean("the start-up failure", failed);
        assertClean("the application's output", output.getAll());
    }
}
