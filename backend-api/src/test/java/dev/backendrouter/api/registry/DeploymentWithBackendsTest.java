package dev.backendrouter.api.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backendrouter.api.BackendGroup;
import dev.backendrouter.api.BackendMember;
import dev.backendrouter.api.BackendRole;
import dev.backendrouter.api.Problem;
import dev.backendrouter.api.Topology;
import dev.backendrouter.api.TopologyException;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeploymentWithBackendsTest {
    private static final Deployment FILE_SERVICE =
            new Deployment(123, "file-service", "file-service-1", null, "localhost", 8080, "running", "prod");

    private static DeploymentWithBackends.Connection connection(long id, long target, String name, int port,
            BackendRole role, Integer priority, String routingKey, String group) {
        return new DeploymentWithBackends.Connection(
                new ServiceBackend(id, 123, target, role, priority, routingKey, group),
                new Deployment(target, "file-system-server", name, null, "localhost", port, "running", "prod"));
    }

    @Test
    void primaryAndBackupMapOntoTheDefaultGroup() {
        Topology topology = new DeploymentWithBackends(FILE_SERVICE, List.of(
                connection(1, 456, "file-system-server-1", 4001, BackendRole.PRIMARY, 1, null, null),
                connection(2, 457, "file-system-server-2", 4002, BackendRole.BACKUP, 2, null, null))).toTopology();
        assertThat(topology.service()).isEqualTo("file-service");
        assertThat(topology.stage()).isEqualTo("prod");
        BackendGroup group = topology.group(BackendGroup.DEFAULT_NAME).orElseThrow();
        assertThat(group.members()).extracting(BackendMember::name, BackendMember::url, BackendMember::role, BackendMember::priority)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("file-system-server-1", URI.create("http://localhost:4001"), BackendRole.PRIMARY, 1),
                        org.assertj.core.groups.Tuple.tuple("file-system-server-2", URI.create("http://localhost:4002"), BackendRole.BACKUP, 2));
        assertThat(group.members().get(0).labels()).containsEntry("deploymentId", "456").containsEntry("stage", "prod")
                .containsEntry("status", "running");
    }

    @Test
    void missingRoleAndPriorityTakeTheRegistryDefaults() {
        Topology topology = new DeploymentWithBackends(FILE_SERVICE, List.of(
                connection(1, 456, "fs", 4001, null, null, null, "storage"))).toTopology();
        BackendMember member = topology.group("storage").orElseThrow().members().get(0);
        assertThat(member.role()).isEqualTo(BackendRole.PRIMARY);
        assertThat(member.priority()).isEqualTo(1);
    }

    @Test
    void shardsKeepTheirRoutingKeys() {
        Topology topology = new DeploymentWithBackends(FILE_SERVICE, List.of(
                connection(1, 456, "fs-1", 4001, BackendRole.SHARD, null, "users-a-m", "users"),
                connection(2, 457, "fs-2", 4002, BackendRole.SHARD, null, "users-n-z", "users"))).toTopology();
        assertThat(topology.group("users").orElseThrow().members()).extracting(BackendMember::routingKey)
                .containsExactly("users-a-m", "users-n-z");
    }

    @Test
    void urlWinsOverHostAndPort() {
        Deployment withUrl = new Deployment(9, "x", "x-1", "https://x.internal:8443/api", "ignored", 1, null, null);
        assertThat(withUrl.baseUrl()).isEqualTo("https://x.internal:8443/api");
        assertThat(new Deployment(9, "x", null, null, "::1", 80, null, null).baseUrl()).isEqualTo("http://[::1]:80");
        assertThat(new Deployment(9, "X", null, null, null, null, null, null).memberName()).isEqualTo("x-9");
        assertThat(new Deployment(9, "x", null, null, null, null, null, null).baseUrl()).isNull();
    }

    @Test
    void problemsPointIntoTheRegistryJson() {
        DeploymentWithBackends details = new DeploymentWithBackends(
                new Deployment(123, "file-service", "fs", null, null, null, null, "prep"), List.of(
                connection(1, 456, "fs-1", 4001, BackendRole.SHARD, null, "users-a-m", null),
                new DeploymentWithBackends.Connection(new ServiceBackend(2L, 123, 457, BackendRole.SHARD, null, "users-m-z", null),
                        new Deployment(457, "fss", "fs-2", null, null, null, null, null))));
        assertThatThrownBy(details::toTopology).isInstanceOfSatisfying(TopologyException.class, e -> {
            assertThat(e.problems()).containsExactly(
                    new Problem("backends[1].deployment", "deployment 457 has neither a url nor a host and port"),
                    new Problem("backends[0].deployment.stage", "fs-1 is labelled for prod but this topology is for stage "
                            + "'prep': test stages never touch production backends"),
                    new Problem("backends[1].connection.routingKey", "range m-z overlaps users-a-m (backends[0])"));
            assertThat(e.source()).isEqualTo("of deployment 123 from the registry");
        });
    }
}
