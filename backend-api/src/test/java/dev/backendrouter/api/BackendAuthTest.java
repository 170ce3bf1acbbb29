package dev.backendrouter.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class BackendAuthTest {

    @Test
    void secretsNeverShowInToString() {
        BackendAuth key = BackendAuth.apiKey("X-API-Key", "s3cr3t-key");
        BackendAuth token = BackendAuth.bearer("t0ken-value");
        assertThat(key.toString()).doesNotContain("s3cr3t-key").contains("X-API-Key", "****");
        assertThat(token.toString()).doesNotContain("t0ken-value").contains("****");
        BackendMember member = new BackendMember("m", URI.create("http://localhost:1"), BackendRole.PRIMARY, 1, 100,
                null, null, key, null, null, null);
        assertThat(member.toString()).doesNotContain("s3cr3t-key");
        Topology topology = Topology.builder().service("svc").group("g", member).build();
        assertThat(topology.toString()).doesNotContain("s3cr3t-key");
    }

    @Test
    void headersCarryTheSecret() {
        assertThat(BackendAuth.apiKey("X-API-Key", "k").headerName()).isEqualTo("X-API-Key");
        assertThat(BackendAuth.apiKey("X-API-Key", "k").headerValue().reveal()).isEqualTo("k");
        assertThat(BackendAuth.bearer("t").headerName()).isEqualTo("Authorization");
        assertThat(BackendAuth.bearer("t").headerValue().reveal()).isEqualTo("Bearer t");
        assertThat(BackendAuth.none().headerName()).isNull();
    }
}
