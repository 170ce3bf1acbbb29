package dev.backendrouter.router.reliability;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.backendrouter.api.Problem;
import dev.backendrouter.api.Topology;
import dev.backendrouter.api.TopologyException;
import dev.backendrouter.router.BackendRouter;
import dev.backendrouter.router.BackendRouterBuilder;
import dev.backendrouter.router.HealthCheckSettings;
import dev.backendrouter.router.RouterListener;
import dev.backendrouter.router.TopologySource;
import dev.backendrouter.router.internal.topology.TopologyParser;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bad reload keeps the old topology serving: a router on a topology file (and one on the
 * registry) against a loopback backend; each invalid input of the corpus replaces the file (or
 * the registry's answer), the reload is refused with a {@link TopologyException}, the router's
 * topology is the same object as before, and a call is still answered by the old backend.
 */
class BadTopologyReloadIntegrationTest {
    @TempDir
    Path dir;
    private final WireMockServer backend = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    private final AtomicInteger rejected = new AtomicInteger();
    private final AtomicInteger applied = new AtomicInteger();
    private final List<String> rejections = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    private final RouterListener listener = new RouterListener() {
        @Override
        public void topologyApplied(Topology previous, Topology current) {
            applied.incrementAndGet();
        }

        @Override
        public void topologyRejected(String source, List<Problem> problems) {
            rejections.add(problems.toString());
            rejected.incrementAndGet();
        }
    };

    @BeforeEach
    void start() {
        backend.start();
        backend.stubFor(any(anyUrl()).willReturn(aResponse().withBody("old")));
    }

    @AfterEach
    void stop() {
        backend.stop();
    }

    private String url() {
        return "http://127.0.0.1:" + backend.port();
    }

    private String validYaml(int version) {
        return "service: reloads\nversion: " + version + "\ngroups:\n  storage:\n    backends:\n"
                + "      - { name: old, url: \"" + url() + "\" }\n";
    }

    private BackendRouterBuilder router(Path file, String stage) {
        BackendRouterBuilder builder = BackendRouter.builder()
                .topology(TopologySource.file(file).withEnvironment(Map.<String, String>of()::get))
                .healthChecks(HealthCheckSettings.disabled()).listener(listener);
        return stage == null ? builder : builder.stage(stage);
    }

    private static String call(BackendRouter router) throws IOException {
        try (Response response = router.httpClient().newCall(new Request.Builder().url("http://storage/files/1").build()).execute()) {
            return response.body().string();
        }
    }

    /** Writes the bad input, reloads, and checks that nothing changed. */
    private static void assertRefusedAndOldServes(BackendRouter router, String what, Runnable write) throws IOException {
        Topology before = router.topology();
        write.run();
        Refusals.Outcome outcome = Refusals.load(router::reload);
        assertThat(outcome.refusal()).as("the reload of %s was refused", what).isNotNull();
        assertThat(router.topology()).as("the old topology after %s", what).isSameAs(before);
        assertThat(call(router)).as("a call after %s", what).isEqualTo("old");
    }

    private static void write(Path file, byte[] bytes) {
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void everyCorpusFileIsRefusedOnReloadAndTheOldTopologyServes() throws IOException {
        Path yaml = dir.resolve("topology.yaml");
        Path json = dir.resolve("topology.json");
        Path staged = dir.resolve("staged").resolve("topology.yaml");
        Files.createDirectories(staged.getParent());
        Files.writeString(yaml, validYaml(1));
        Files.writeString(json, "{\"service\": \"reloads\", \"version\": 1, \"groups\": {\"storage\": {\"backends\": [{\"name\": \"old\", \"url\": \""
                + url() + "\"}]}}}");
        Files.writeString(staged, validYaml(1));
        int refusals = 0;
        try (BackendRouter yamlRouter = router(yaml, null).build(); BackendRouter jsonRouter = router(json, null).build();
                BackendRouter stagedRouter = router(staged, "prep").build()) {
            for (BadTopologyCorpusTest.Case c : BadTopologyCorpusTest.corpusCases()) {
                Path source = BadTopologyCorpusTest.corpus().resolve(c.file());
                byte[] bytes = Files.readAllBytes(source);
                if (c.stage() != null) {
                    Path overlay = source.resolveSibling(c.file().replace(".yaml", "-" + c.stage() + ".yaml"));
                    Path target = staged.resolveSibling("topology-" + c.stage() + ".yaml");
                    assertRefusedAndOldServes(stagedRouter, c.toString(), () -> {
                        write(staged, bytes);
                        if (Files.exists(overlay)) {
                            write(target, readAll(overlay));
                        } else {
                            deleteQuietly(target);
                        }
                    });
                } else {
                    BackendRouter router = c.file().endsWith(".json") ? jsonRouter : yamlRouter;
                    assertRefusedAndOldServes(router, c.toString(), () -> write(c.file().endsWith(".json") ? json : yaml, bytes));
                }
                refusals++;
            }
            for (Object[] generated : BadTopologyCorpusTest.generatedCases().toList()) {
                String name = (String) generated[0];
                boolean isJson = name.endsWith(".json");
                assertRefusedAndOldServes(isJson ? jsonRouter : yamlRouter, name, () -> write(isJson ? json : yaml, (byte[]) generated[1]));
                refusals++;
            }
            assertThat(yamlRouter.topology().version()).isEqualTo("1");
        }
        assertThat(rejected.get()).as("every refusal was heard").isEqualTo(refusals);
        assertThat(applied.get()).isZero();
        Figures.record(BadTopologyCorpusTest.SUITE, "bad reloads refused, old topology kept", refusals);
    }

    @Test
    void aClassTagInstantiatesNothing() throws IOException {
        Path yaml = dir.resolve("topology.yaml");
        Files.writeString(yaml, validYaml(1));
        try (BackendRouter router = router(yaml, null).build()) {
            assertRefusedAndOldServes(router, "the SnakeYAML gadget", () -> write(yaml, ("!!javax.script.ScriptEngineManager "
                    + "[!!java.net.URLClassLoader [[!!java.net.URL [\"" + url() + "/gadget/\"]]]]\n").getBytes(StandardCharsets.UTF_8)));
        }
        assertThat(backend.findAll(com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(urlPathMatching("/gadget/.*"))))
                .as("no class loader ever asked the gadget's URL for a class").isEmpty();
    }

    @Test
    void thePeriodicReloaderRefusesBadFilesAndStillAppliesAGoodOne() throws Exception {
        Path yaml = dir.resolve("topology.yaml");
        Files.writeString(yaml, validYaml(1));
        // each file with what its refusal says: a poll refuses the previous bad file again until it reads the next
        Map<String, String> bad = new java.util.LinkedHashMap<>();
        bad.put("yaml-billion-laughs.yaml", "YAML aliases");
        bad.put("yaml-deep-flow-sequence.yaml", "nesting depth");
        bad.put("ctrl-group-name-cr.yaml", "groups.sto\\u000drage: ");
        bad.put("unknown-role.yaml", "unknown role 'MASTER'");
        bad.put("url-file-scheme.yaml", "scheme must be http or https");
        try (BackendRouter router = router(yaml, null).reloadEvery(Duration.ofMillis(20)).build()) {
            Topology before = router.topology();
            for (String file : bad.keySet()) {
                Files.write(yaml, Files.readAllBytes(BadTopologyCorpusTest.corpus().resolve(file)));
                awaitUntil(() -> List.copyOf(rejections).stream().anyMatch(r -> r.contains(bad.get(file))),
                        "the reloader refused " + file);
                assertThat(router.topology()).as("after %s", file).isSameAs(before);
                assertThat(call(router)).isEqualTo("old");
            }
            Files.writeString(yaml, validYaml(2));
            awaitUntil(() -> applied.get() > 0, "the reloader applied version 2");
            assertThat(router.topology().version()).isEqualTo("2");
        }
        Figures.record(BadTopologyCorpusTest.SUITE, "bad files refused by the periodic reloader", bad.size());
    }

    @Test
    void badRegistryAnswersAreRefusedAndTheOldTopologyServes() throws IOException {
        WireMockServer registry = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        registry.start();
        String details = "/api/backends/deployment/123/details";
        try {
            answer(registry, details, aResponse().withHeader("ETag", "\"v1\"").withBody("{\"deployment\": {\"id\": 123, "
                    + "\"serviceName\": \"reloads\"}, \"backends\": [{\"connection\": {\"id\": 1, \"serviceDeploymentId\": 123, "
                    + "\"backendDeploymentId\": 456, \"group\": \"storage\"}, \"deployment\": {\"id\": 456, \"name\": \"old\", "
                    + "\"url\": \"" + url() + "\"}}]}"));
            int refusals = 0;
            try (BackendRouter router = BackendRouter.builder().topology(TopologySource.registry(URI.create(registry.baseUrl()), 123))
                    .healthChecks(HealthCheckSettings.disabled()).listener(listener).build()) {
                assertThat(call(router)).isEqualTo("old");
                for (BadTopologyCorpusTest.Case c : BadTopologyRegistryTest.registryCases()) {
                    byte[] body = Files.readAllBytes(BadTopologyRegistryTest.registryCorpus().resolve(c.file()));
                    assertRefusedAndOldServes(router, c.toString(), () -> answer(registry, details, aResponse().withBody(body)));
                    refusals++;
                }
                List<ResponseDefinitionBuilder> failures = List.of(
                        aResponse().withBody(new byte[TopologyParser.MAX_BYTES + 1]),
                        aResponse().withStatus(500).withBody("{\"error\": {\"code\": \"INTERNAL\"}}"),
                        aResponse().withBody(""),
                        aResponse().withFault(com.github.tomakehurst.wiremock.http.Fault.MALFORMED_RESPONSE_CHUNK));
                for (ResponseDefinitionBuilder failure : failures) {
                    assertRefusedAndOldServes(router, "a failing registry", () -> answer(registry, details, failure));
                    refusals++;
                }
            }
            Figures.record(BadTopologyCorpusTest.SUITE, "bad registry answers refused, old topology kept", refusals);
        } finally {
            registry.stop();
        }
    }

    private static void answer(WireMockServer registry, String path, ResponseDefinitionBuilder response) {
        registry.resetMappings();
        registry.stubFor(get(path).willReturn(response));
    }

    private static byte[] readAll(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void awaitUntil(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 10 s for: %s", what).isLessThan(until);
            Thread.sleep(10);
        }
    }
}
