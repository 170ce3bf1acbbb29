package dev.backendrouter.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the admin page stands on, over plain HTTP: the sign-in and its cookie, the CSRF check of a
 * write with that cookie (scripts with a token header need none), the page's own headers, the
 * name search and the topology preview.
 */
class RegistrySessionIntegrationTest {
    @TempDir
    static Path data;
    static Instance registry;
    static String write;
    static String[] ops;

    @BeforeAll
    static void start() throws IOException {
        registry = Instance.start(Instance.h2(data));
        write = registry.bean(Tokens.class).create("ops", "write");
        ops = new String[] {"Authorization", "Bearer " + write};
        registry.call("POST", "/api/deployments", "{\"id\": 1, \"serviceName\": \"orders\", \"name\": \"orders_1\", \"host\": \"localhost\", \"port\": 80}", ops);
        registry.call("POST", "/api/deployments", "{\"id\": 2, \"serviceName\": \"orders-db\", \"name\": \"orders-db%2\", \"host\": \"localhost\", \"port\": 81}", ops);
        registry.call("POST", "/api/deployments", "{\"id\": 3, \"serviceName\": \"ledger\", \"name\": \"ledger-1\", \"host\": \"localhost\", \"port\": 82}", ops);
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    @Test
    void signingInOpensASessionInAnHttpOnlyStrictCookieAndAnswersItsCsrfToken() throws IOException {
        Instance.Answer refused = registry.call("POST", "/api/session", "{\"token\": \"brt_unknown\"}");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.body().at("/error/details/field").asString()).isEqualTo("token");
        assertThat(refused.headers().get("Set-Cookie")).isNull();
        assertThat(registry.call("POST", "/api/session", "{}").body().at("/error/details/field").asString()).isEqualTo("token");

        Instance.Answer signedIn = registry.call("POST", "/api/session", "{\"token\": \"" + write + "\"}");
        assertThat(signedIn.status()).isEqualTo(200);
        String cookie = signedIn.headers().get("Set-Cookie");
        assertThat(cookie).startsWith(AccessFilter.SESSION_COOKIE + "=" + Sessions.PREFIX)
                .contains("Path=/api/", "HttpOnly", "SameSite=Strict", "Max-Age=43200").doesNotContain(write);
        assertThat(signedIn.body().get("name").asString()).isEqualTo("ops");
        assertThat(signedIn.body().get("canWrite").asBoolean()).isTrue();
        String csrf = signedIn.body().get("csrf").asString();
        assertThat(csrf).isNotBlank();
        assertThat(signedIn.body().toString()).as("the answer never repeats the token").doesNotContain(write);

        String session = cookieOf(signedIn);
        Instance.Answer again = registry.call("GET", "/api/session", null, "Cookie", session);
        assertThat(again.body().get("csrf").asString()).as("the same on every instance, from the session").isEqualTo(csrf);
        assertThat(registry.call("GET", "/api/deployments/1", null, "Cookie", session).status()).isEqualTo(200);
        String another = cookieOf(registry.call("POST", "/api/session", "{\"token\": \"" + write + "\"}"));
        assertThat(registry.call("GET", "/api/session", null, "Cookie", another).body().get("csrf").asString())
                .as("every sign-in has its own CSRF token").isNotEqualTo(csrf);
        assertThat(registry.call("GET", "/api/deployments/1", null, "Cookie", AccessFilter.SESSION_COOKIE + "=" + write).status())
                .as("the cookie carries a session, never a token").isEqualTo(401);
    }

    @Test
    void aSessionEndsWhenSignedOutWhenItExpiresAndWhenItsTokenIsRevoked() throws IOException {
        Tokens tokens = registry.bean(Tokens.class);
        String alice = tokens.create("ops-alice", "write");
        String signedOut = cookieOf(registry.call("POST", "/api/session", "{\"token\": \"" + alice + "\"}"));
        String expiring = cookieOf(registry.call("POST", "/api/session", "{\"token\": \"" + alice + "\"}"));
        String revoked = cookieOf(registry.call("POST", "/api/session", "{\"token\": \"" + alice + "\"}"));

        assertThat(registry.call("DELETE", "/api/session", null, "Cookie", signedOut,
                AccessFilter.CSRF_HEADER, Sessions.csrfOf(signedOut.substring(signedOut.indexOf('=') + 1))).status()).isEqualTo(204);
        Instance.Answer after = registry.call("GET", "/api/deployments/1", null, "Cookie", signedOut);
        assertThat(after.status()).as("signed out on the server, not only in the browser").isEqualTo(401);
        assertThat(after.body().at("/error/message").asString()).contains("session has ended");

        registry.bean(org.springframework.jdbc.core.simple.JdbcClient.class)
                .sql("UPDATE web_session SET expires_at = ? WHERE session_hash = ?")
                .params(java.sql.Timestamp.from(java.time.Instant.now().minusSeconds(1)), Tokens.digest(expiring.substring(expiring.indexOf('=') + 1)))
                .update();
        assertThat(registry.call("GET", "/api/deployments/1", null, "Cookie", expiring).status()).as("expired").isEqualTo(401);

        assertThat(registry.call("GET", "/api/deployments/1", null, "Cookie", revoked).status()).isEqualTo(200);
        tokens.revoke("ops-alice");
        assertThat(registry.call("GET", "/api/deployments/1", null, "Cookie", revoked).status()).as("its token revoked").isEqualTo(401);
    }

    @Test
    void aWriteWithTheCookieNeedsItsCsrfTokenAndOneWithAHeaderDoesNot() throws IOException {
        String session = cookieOf(registry.call("POST", "/api/session", "{\"token\": \"" + write + "\"}"));
        String csrf = Sessions.csrfOf(session.substring(session.indexOf('=') + 1));
        String connection = "{\"serviceDeploymentId\": 1, \"backendDeploymentId\": 3, \"role\": \"PRIMARY\"}";
        Instance.Answer without = registry.call("POST", "/api/backends", connection, "Cookie", session);
        assertThat(without.status()).isEqualTo(403);
        assertThat(without.body().at("/error/code").asString()).isEqualTo("CSRF_REFUSED");
        assertThat(registry.call("POST", "/api/backends", connection, "Cookie", session, AccessFilter.CSRF_HEADER, "forged").status())
                .isEqualTo(403);
        assertThat(registry.call("GET", "/api/backends/deployment/1", null, ops).body().size()).as("nothing written").isZero();

        Instance.Answer added = registry.call("POST", "/api/backends", connection, "Cookie", session, AccessFilter.CSRF_HEADER, csrf);
        assertThat(added.status()).isEqualTo(201);
        long id = added.body().get("id").asLong();
        assertThat(registry.call("DELETE", "/api/backends/" + id, null, ops).status()).as("a token header needs no CSRF token").isEqualTo(204);

        assertThat(registry.call("DELETE", "/api/session", null, "Cookie", session).status()).isEqualTo(403);
        Instance.Answer out = registry.call("DELETE", "/api/session", null, "Cookie", session, AccessFilter.CSRF_HEADER, csrf);
        assertThat(out.status()).isEqualTo(204);
        assertThat(out.headers().get("Set-Cookie")).startsWith(AccessFilter.SESSION_COOKIE + "=;").contains("Max-Age=0");
    }

    /** The {@code name=value} of an answer's session cookie, as a browser sends it back. */
    private static String cookieOf(Instance.Answer answer) {
        String header = answer.headers().get("Set-Cookie");
        assertThat(header).as("a session cookie").isNotNull();
        return header.substring(0, header.indexOf(';'));
    }

    @Test
    void signingInTakesJsonOnlySoAFormOnAnotherSiteCannotSignAnyoneIn() throws IOException {
        Request form = new Request.Builder().url(registry.base + "/api/session")
                .post(RequestBody.create("token=" + write, okhttp3.MediaType.get("application/x-www-form-urlencoded"))).build();
        try (Response response = Instance.HTTP.newCall(form).execute()) {
            assertThat(response.code()).isEqualTo(415);
            assertThat(response.header("Set-Cookie")).isNull();
        }
    }

    @Test
    void thePageIsServedWithHeadersThatKeepOtherSitesAndScriptsOut() throws IOException {
        try (Response response = Instance.HTTP.newCall(new Request.Builder().url(registry.base + "/").build()).execute()) {
            assertThat(response.code()).isEqualTo(200);
            assertThat(response.body().string()).contains("<title>Backend Connections registry</title>", "/app/main.js");
            assertThat(response.header("Content-Security-Policy")).contains("default-src 'self'", "frame-ancestors 'none'");
            assertThat(response.header("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(response.header("X-Frame-Options")).isEqualTo("DENY");
        }
        try (Response response = Instance.HTTP.newCall(new Request.Builder().url(registry.base + "/app/backend-service.js").build()).execute()) {
            assertThat(response.code()).as("the scripts need no token").isEqualTo(200);
            assertThat(response.header("Content-Type")).startsWith("text/javascript");
        }
    }

    @Test
    void namesAreFoundByAnyPartInAnyCaseWithWildcardsTakenLiterally() throws IOException {
        assertThat(ids("?name=LEDGER")).containsExactly(3L);
        assertThat(ids("?name=orders")).containsExactly(1L, 2L);
        assertThat(ids("?name=%25")).as("%% is a character, not a wildcard").containsExactly(2L);
        assertThat(ids("?name=_")).as("_ is a character, not a wildcard").containsExactly(1L);
        assertThat(ids("?name=orders&serviceName=orders-db")).containsExactly(2L);
        assertThat(ids("?name=")).as("an empty search lists all").containsExactly(1L, 2L, 3L);
        assertThat(registry.call("GET", "/api/deployments?name=" + "x".repeat(300), null, ops).status()).isEqualTo(400);
    }

    @Test
    void theTopologyPreviewIsWhatARouterBuildsOrItsProblems() throws IOException {
        Instance.Answer empty = registry.call("GET", "/api/backends/deployment/3/topology", null, ops);
        assertThat(empty.body().get("valid").asBoolean()).isFalse();
        assertThat(empty.body().at("/problems/0/message").asString()).contains("no backend connections yet");
        long id = registry.call("POST", "/api/backends", "{\"serviceDeploymentId\": 3, \"backendDeploymentId\": 1, \"priority\": 2,"
                + " \"group\": \"orders\"}", ops).body().get("id").asLong();
        Instance.Answer preview = registry.call("GET", "/api/backends/deployment/3/topology", null, ops);
        assertThat(preview.body().get("valid").asBoolean()).isTrue();
        assertThat(preview.body().at("/topology/service").asString()).isEqualTo("ledger");
        assertThat(preview.body().at("/topology/groups/0/name").asString()).isEqualTo("orders");
        assertThat(preview.body().at("/topology/groups/0/members/0/url").asString()).isEqualTo("http://localhost:80");
        assertThat(preview.body().at("/topology/groups/0/members/0/priority").asInt()).isEqualTo(2);
        assertThat(registry.call("GET", "/api/backends/deployment/99/topology", null, ops).status()).isEqualTo(404);
        assertThat(registry.call("GET", "/api/backends/deployment/3/topology", null).status()).as("a read like any other").isEqualTo(401);
        registry.call("DELETE", "/api/backends/" + id, null, ops);
    }

    private static java.util.List<Long> ids(String query) throws IOException {
        Instance.Answer answer = registry.call("GET", "/api/deployments" + query, null, ops);
        assertThat(answer.status()).isEqualTo(200);
        java.util.List<Long> ids = new java.util.ArrayList<>();
        answer.body().forEach(d -> ids.add(d.get("id").asLong()));
        return ids;
    }
}
