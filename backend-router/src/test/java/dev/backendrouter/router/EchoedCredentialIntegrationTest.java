package dev.backendrouter.router;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import dev.backendrouter.api.BackendAuth;
import dev.backendrouter.api.BackendMember;
import dev.backendrouter.api.Topology;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A backend that quotes the credential it was sent in its error answer may quote it as a URL
 * carries it (a request line, a query parameter): percent-encoded. The router masks that form too
 * wherever the answer is described — the snapshot's last error and the failover reason.
 */
class EchoedCredentialIntegrationTest {
    /** A key whose URL form differs from itself: base64 characters and a space-free value. */
    private static final String KEY = "sk-live/Ab+Cd9=";
    private static final String ENCODED = "sk-live%2FAb%2BCd9%3D";
    private static final String TOKEN = "tok/Zz+9==";
    private static final String TOKEN_ENCODED_LOWER = "tok%2fZz%2b9%3d%3d";

    private final LoopbackBackend keyed = new LoopbackBackend("keyed")
            .stub(any(urlPathMatching("/files/.*")).willReturn(aResponse().withStatus(503)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"error\":{\"code\":\"QUOTA\",\"message\":\"GET /files/1?api_key=" + ENCODED
                            + " is over its quota\",\"request_id\":\"r-1\"}}")));
    private final LoopbackBackend bearer = new LoopbackBackend("bearer")
            .stub(any(urlPathMatching("/files/.*")).willReturn(aResponse().withStatus(503)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"error\":{\"code\":\"EXPIRED\",\"message\":\"token " + TOKEN_ENCODED_LOWER
                            + " has expired\"}}")));
    private static final String BASIC_USER = "svc-files";
    private static final String BASIC_PASSWORD = "hunter2-Long-Pw-93";
    private static final String PARTIAL_KEY = "sk-live-PARTIAL-4f9a1c7e2b";

    private final LoopbackBackend basic = new LoopbackBackend("basic")
            .stub(any(urlPathMatching("/files/.*")).willReturn(aResponse().withStatus(503)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"error\":{\"code\":\"DENIED\",\"message\":\"login " + BASIC_USER + ":" + BASIC_PASSWORD
                            + " refused; user " + BASIC_USER + " has password " + BASIC_PASSWORD + "\"}}")));
    private final LoopbackBackend partial = new LoopbackBackend("partial")
            .stub(any(urlPathMatching("/files/.*")).willReturn(aResponse().withStatus(503)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"error\":{\"code\":\"QUOTA\",\"message\":\"key sk-live-PART… is over its quota, "
                            + "and so is …IAL-4f9a1c7e (ends 7e2b)\"}}")));
    private final List<String> reasons = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void stop() {
        keyed.close();
        bearer.close();
        basic.close();
        partial.close();
    }

    /** A router with each member in a group of its own name, after one GET to each group (every one answers 503). */
    private BackendRouter routerCalledOnce(BackendMember... members) throws IOException {
        Topology.Builder topology = Topology.builder().service("s");
        for (BackendMember member : members) {
            topology.group(member.name(), member);
        }
        BackendRouter router = BackendRouter.builder().ticker(new FakeTicker()).healthChecks(HealthCheckSettings.disabled())
                .maxAttempts(1).topology(topology.build())
                .listener(new RouterListener() {
                    @Override
                    public void failover(String group, BackendMember from, String reason) {
                        reasons.add(reason);
                    }
                }).build();
        for (BackendMember member : members) {
            try (Response response = router.httpClient().newCall(
                    new Request.Builder().url("http://" + member.name() + "/files/1").build()).execute()) {
                assertThat(response.code()).isEqualTo(503);
            }
        }
        return router;
    }

    @Test
    void aCredentialQuotedPercentEncodedIsMaskedInTheSnapshotAndTheFailoverReason() throws IOException {
        try (BackendRouter router = routerCalledOnce(
                BackendMember.builder("keyed", keyed.url()).auth(BackendAuth.apiKey("X-API-Key", KEY)).build(),
                BackendMember.builder("bearer", bearer.url()).auth(BackendAuth.bearer(TOKEN)).build())) {
            List<String> lastErrors = router.snapshot().groups().stream()
                    .map(group -> group.members().get(0).lastError()).toList();
            assertThat(lastErrors).containsExactlyInAnyOrder("HTTP 503 QUOTA: GET /files/1?api_key=**** is over its quota (request r-1)",
                    "HTTP 503 EXPIRED: token **** has expired");
            assertThat(reasons).hasSize(2).allSatisfy(reason -> assertThat(reason)
                    .contains("****").doesNotContainIgnoringCase(ENCODED).doesNotContainIgnoringCase(TOKEN_ENCODED_LOWER));
        }
    }

    @Test
    void aBasicCredentialQuotedDecodedAndAKeyQuotedInPartAreMasked() throws IOException {
        String basicValue = "Basic " + java.util.Base64.getEncoder().encodeToString(
                (BASIC_USER + ":" + BASIC_PASSWORD).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        try (BackendRouter router = routerCalledOnce(
                BackendMember.builder("basic", basic.url()).auth(BackendAuth.apiKey("Authorization", basicValue)).build(),
                BackendMember.builder("partial", partial.url()).auth(BackendAuth.apiKey("X-API-Key", PARTIAL_KEY)).build())) {
            assertThat(basic.requests()).singleElement().satisfies(request ->
                    assertThat(request.getHeader("Authorization")).as("the credential itself still goes out").isEqualTo(basicValue));
            List<String> lastErrors = router.snapshot().groups().stream()
                    .map(group -> group.members().get(0).lastError()).toList();
            // the user name alone is not a secret; a quote shorter than 8 characters of the key ("7e2b") is left
            assertThat(lastErrors).containsExactlyInAnyOrder(
                    "HTTP 503 DENIED: login **** refused; user " + BASIC_USER + " has password ****",
                    "HTTP 503 QUOTA: key ****… is over its quota, and so is …**** (ends 7e2b)");
            assertThat(reasons).hasSize(2).allSatisfy(reason -> assertThat(reason)
                    .doesNotContain(BASIC_PASSWORD, "sk-live-", "4f9a1c7e"));
            dev.backendrouter.router.reliability.Figures.record("hardening",
                    "masking: quotes of a decoded Basic credential or part of a key in an error body, masked",
                    lastErrors.stream().mapToLong(error -> error.split("\\*\\*\\*\\*", -1).length - 1).sum());
        }
    }
}
