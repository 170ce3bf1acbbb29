package dev.backendrouter.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backendrouter.api.KubernetesService;
import dev.backendrouter.api.Problem;
import dev.backendrouter.api.Topology;
import dev.backendrouter.api.TopologyException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A backend written as a {@code kubernetes} block, or as a {@code kubernetes://} URL: read, checked, with every problem at its path. */
class KubernetesEntriesTest {
    @TempDir
    Path dir;

    private Topology load(String backends) throws IOException {
        return TopologySource.file(Files.writeString(dir.resolve("t.yaml"), "service: file-service\ngroups:\n  files:\n    backends:\n"
                + backends)).load();
    }

    private List<Problem> problems(String backends) {
        try {
            load(backends);
        } catch (TopologyException e) {
            return e.problems();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        throw new AssertionError("the topology was accepted");
    }

    @Test
    void aBlockIsHeldAsTheServicesUrl() throws IOException {
        Topology topology = load("""
                      - { name: storage, role: PRIMARY, kubernetes: { service: file-system-server, namespace: storage, port: http } }
                      - { name: storage-tls, role: BACKUP, kubernetes: { service: fss, port: 8443, scheme: https } }
                      - { name: storage-one-port, role: BACKUP, priority: 3, url: "kubernetes://fss.dr" }
                """);
        assertThat(topology.group("files").orElseThrow().members()).extracting(m -> m.url().toString())
                .containsExactly("kubernetes://file-system-server.storage/http", "kubernetes://fss/8443?scheme=https", "kubernetes://fss.dr");
        assertThat(KubernetesService.of(URI.create("kubernetes://fss/8443?scheme=https")))
                .contains(new KubernetesService("fss", null, "8443", "https"));
        assertThat(KubernetesService.of(URI.create("kubernetes://file-system-server.storage/http")).orElseThrow().toUrl())
                .isEqualTo(URI.create("kubernetes://file-system-server.storage/http"));
    }

    @Test
    void everyBadFieldOfABlockIsReportedAtItsPath() {
        assertThat(problems("""
                      - { name: a, kubernetes: { namespace: storage, port: http } }
                      - { name: b, kubernetes: { service: File_Server, namespace: Storage, port: "http_port", scheme: ftp } }
                      - { name: c, url: "http://h:1", kubernetes: { service: fss } }
                      - { name: d, kubernetes: { service: fss, ports: http } }
                      - { name: e, kubernetes: "fss" }
                      - { name: f, kubernetes: { service: fss, port: 70000 } }
                      - { name: g, kubernetes: { service: fss-g }, tls: { pins: [ "sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=" ] } }
                """)).extracting(Problem::toString).containsExactlyInAnyOrder(
                "groups.files.backends[0].kubernetes.service: required: the name of the Service whose endpoints fill this tier",
                "groups.files.backends[1].kubernetes.service: 'File_Server' is not a Service name (lower-case letters, digits and '-',"
                        + " starting with a letter, up to 63)",
                "groups.files.backends[1].kubernetes.namespace: 'Storage' is not a namespace name (lower-case letters, digits and '-', up to 63)",
                "groups.files.backends[1].kubernetes.port: 'http_port' is neither a port name (lower-case letters, digits and '-', up to 15)"
                        + " nor a port number",
                "groups.files.backends[1].kubernetes.scheme: must be http or https, was 'ftp'",
                "groups.files.backends[2].kubernetes: give either url or kubernetes, not both",
                "groups.files.backends[3].kubernetes.ports: unknown field (did you mean 'port'?); known fields: namespace, port, scheme, service",
                "groups.files.backends[4].kubernetes: must be a mapping such as { service: file-system-server, namespace: storage, port: http }",
                "groups.files.backends[5].kubernetes.port: port 70000 is outside 1-65535",
                "groups.files.backends[6].tls: tls settings apply to https endpoints, but this Service is called with scheme http: give"
                        + " kubernetes.scheme https or remove tls");
    }

    @Test
    void aKubernetesUrlIsCheckedAtTheUrl() {
        assertThat(problems("""
                      - { name: a, url: "kubernetes://Bad_Name.storage/http" }
                      - { name: b, url: "kubernetes://fss.storage:8080/http" }
                      - { name: c, url: "kubernetes://fss/http?port=1" }
                      - { name: d, url: "kubernetes://fss/http", auth: { password: secret } }
                """)).extracting(Problem::path).containsExactly("groups.files.backends[0].url", "groups.files.backends[1].url",
                "groups.files.backends[2].url", "groups.files.backends[3].auth");
    }

    @Test
    void withoutTheModuleTheRouterRefusesItNamingTheArtifact() {
        assertThatThrownBy(() -> BackendRouter.builder().topology(TopologySource.of(load("""
                      - { name: storage, kubernetes: { service: file-system-server, port: http } }
                """))).build()).isInstanceOf(TopologyException.class).hasMessageContaining("groups.files.backends[0].kubernetes")
                .hasMessageContaining("needs the module dev.backendrouter:backend-router-kubernetes on the class path");
    }
}
