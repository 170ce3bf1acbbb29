package dev.backendrouter.router.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import okhttp3.MediaType;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.junit.jupiter.api.Test;

class ErrorBodyTest {
    private static final MemberCredentials BEARER = new MemberCredentials("http", "h", 80, "Authorization", "Bearer tok-123456789");
    private static final MemberCredentials KEY = new MemberCredentials("http", "h", 80, "X-API-Key", "sk-123456789");

    private static Response answer(MemberCredentials sent, String body) {
        Request.Builder request = new Request.Builder().url("http://h/files/1");
        if (sent != null) {
            request.tag(MemberCredentials.class, sent);
        }
        return new Response.Builder().request(request.build()).protocol(Protocol.HTTP_1_1).code(401).message("Unauthorized")
                .body(ResponseBody.create(body, MediaType.get("application/json"))).build();
    }

    @Test
    void theCredentialTheAttemptSentIsMaskedWhereTheBackendQuotesIt() {
        String body = "{\"error\":{\"code\":\"BAD_KEY\",\"message\":\"%s is not a valid key\",\"request_id\":\"r-%s\"}}";
        try (Response key = answer(KEY, body.formatted("sk-123456789", "sk-123456789"));
                Response bearer = answer(BEARER, body.formatted("Bearer tok-123456789", "tok-123456789"));
                Response none = answer(null, body.formatted("sk-123456789", "1"))) {
            assertThat(ErrorBody.describe(key)).isEqualTo("BAD_KEY: **** is not a valid key (request r-****)");
            assertThat(ErrorBody.describe(bearer)).isEqualTo("BAD_KEY: **** is not a valid key (request r-****)");
            assertThat(ErrorBody.describe(none)).as("no credential sent, nothing to mask").contains("sk-123456789");
        }
    }
}
