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
    private final List<String> reasons = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void stop() {
        keyed.close();
        bearer.close();
    }

    @Test
    void aCredentialQuotedPercentEncodedIsMaskedInTheSnapshotAndTheFailoverReason() throws IOException {
        try (BackendRouter router = BackendRouter.builder().ticker(new FakeTicker()).healthChecks(HealthCheckSettings.disabled())
                .maxAttempts(1)
                .topology(Topology.builder().service("s")
                        .group("keyed", BackendMember.builder("keyed", keyed.url()).auth(BackendAuth.apiKey("X-API-Key", KEY)).build())
                        .group("bearer", BackendMember.builder("bearer", bearer.url()).auth(BackendAuth.bearer(TOKEN)).build())
                        .build())
                .listener(new RouterListener() {
                    @Override
                    public void failover(String group, BackendMember from, String reason) {
                        reasons.add(reason);
                    }
                }).build()) {
            for (String group : List.of("keyed", "bearer")) {
                try (Response response = router.httpClient().newCall(new Request.Builder().url("http://" + group + "/files/1").build())
                        .execute()) {
                    assertThat(response.code()).isEqualTo(503);
                }
            }
            List<String> lastErrors = router.snapshot().groups().stream()
                    .map(group -> group.members().get(0).lastError()).toList();
            assertThat(lastErrors).containsExactlyInAnyOrder("HTTP 503 QUOTA: GET /files/1?api_key=**** is over its quota (request r-1)",
                    "HTTP 503 EXPIRED: token **** has expired");
            assertThat(reasons).hasSize(2).allSatisfy(reason -> assertThat(reason)
                    .contains("****").doesNotContainIgnoringCase(ENCODED).doesNotContainIgnoringCase(TOKEN_ENCODED_LOWER));
        }
    }
}
