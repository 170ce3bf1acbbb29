package dev.backendrouter.registry;

import dev.backendrouter.api.BackendRole;
import dev.backendrouter.api.registry.Deployment;
import dev.backendrouter.api.registry.ServiceBackend;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;

/** Deployments and connections in the database; every method runs in the caller's transaction. */
@Repository
class Store {
    private static final String CONNECTION = "SELECT id, service_deployment_id, backend_deployment_id, role, priority, routing_key,"
            + " group_name, version FROM connection";
    private static final String DEPLOYMENT = "SELECT id, service_name, name, url, host, port, status, stage, version FROM deployment";

    /** A row with its version, for ETags and If-Match. */
    record Versioned<T>(T value, long version) {
    }

    private final JdbcClient jdbc;

    Store(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<Versioned<Deployment>> deployment(long id) {
        return jdbc.sql(DEPLOYMENT + " WHERE id = ?").param(id).query(Store::deployment).optional();
    }

    /** {@code name} matches anywhere in the name, ignoring case; service and stage match whole. */
    List<Deployment> deployments(String name, String serviceName, String stage, int offset, int limit) {
        String pattern = name == null ? null : "%" + name.toLowerCase(java.util.Locale.ROOT)
                .replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        return jdbc.sql(DEPLOYMENT + " WHERE (CAST(? AS VARCHAR(300)) IS NULL OR LOWER(name) LIKE ? ESCAPE '\\')"
                        + " AND (CAST(? AS VARCHAR(253)) IS NULL OR service_name = ?)"
                        + " AND (CAST(? AS VARCHAR(64)) IS NULL OR stage = ?) ORDER BY id OFFSET ? ROWS FETCH NEXT ? ROWS ONLY")
                .params(pattern, pattern, serviceName, serviceName, stage, stage, offset, limit)
                .query(Store::deployment).list().stream().map(Versioned::value).toList();
    }

    void insert(Deployment d) {
        jdbc.sql("INSERT INTO deployment (id, service_name, name, url, host, port, status, stage) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                .params(d.id(), d.serviceName(), d.name(), d.url(), d.host(), d.port(), d.status(), d.stage()).update();
    }

    void update(Deployment d) {
        jdbc.sql("UPDATE deployment SET service_name = ?, name = ?, url = ?, host = ?, port = ?, status = ?, stage = ?,"
                        + " version = version + 1 WHERE id = ?")
                .params(d.serviceName(), d.name(), d.url(), d.host(), d.port(), d.status(), d.stage(), d.id()).update();
    }

    void deleteDeployment(long id) {
        jdbc.sql("DELETE FROM deployment WHERE id = ?").param(id).update();
    }

    Optional<Versioned<ServiceBackend>> connection(long id) {
        return jdbc.sql(CONNECTION + " WHERE id = ?").param(id).query(Store::connection).optional();
    }

    /** The connections deployment {@code id} calls, in id order. */
    List<ServiceBackend> connectionsOf(long id) {
        return jdbc.sql(CONNECTION + " WHERE service_deployment_id = ? ORDER BY id").param(id).query(Store::connection).list()
                .stream().map(Versioned::value).toList();
    }

    /** The deployments that call deployment {@code id}. */
    List<Deployment> consumersOf(long id) {
        return jdbc.sql(DEPLOYMENT + " WHERE id IN (SELECT service_deployment_id FROM connection WHERE backend_deployment_id = ?)"
                + " ORDER BY id").param(id).query(Store::deployment).list().stream().map(Versioned::value).toList();
    }

    /** Whether another connection links the same two deployments in the same group. */
    boolean duplicate(ServiceBackend c, Long exceptId) {
        return jdbc.sql("SELECT COUNT(*) FROM connection WHERE service_deployment_id = ? AND backend_deployment_id = ?"
                        + " AND group_key = ? AND (CAST(? AS BIGINT) IS NULL OR id <> ?)")
                .params(c.serviceDeploymentId(), c.backendDeploymentId(), groupKey(c), exceptId, exceptId)
                .query(Long.class).single() > 0;
    }

    long insert(ServiceBackend c) {
        GeneratedKeyHolder key = new GeneratedKeyHolder();
        jdbc.sql("INSERT INTO connection (service_deployment_id, backend_deployment_id, role, priority, routing_key, group_name,"
                        + " group_key) VALUES (?, ?, ?, ?, ?, ?, ?)")
                .params(c.serviceDeploymentId(), c.backendDeploymentId(), c.role().name(), c.priority(), c.routingKey(), c.group(),
                        groupKey(c))
                .update(key, "id");
        return key.getKey().longValue();
    }

    void update(ServiceBackend c) {
        jdbc.sql("UPDATE connection SET service_deployment_id = ?, backend_deployment_id = ?, role = ?, priority = ?,"
                        + " routing_key = ?, group_name = ?, group_key = ?, version = version + 1 WHERE id = ?")
                .params(c.serviceDeploymentId(), c.backendDeploymentId(), c.role().name(), c.priority(), c.routingKey(), c.group(),
                        groupKey(c), c.id()).update();
    }

    void deleteConnection(long id) {
        jdbc.sql("DELETE FROM connection WHERE id = ?").param(id).update();
    }

    /** Locks deployment {@code id}'s row, so that changes to one deployment's topology are checked one at a time. */
    void lock(long id) {
        jdbc.sql("SELECT id FROM deployment WHERE id = ? FOR UPDATE").param(id).query(Long.class).optional();
    }

    private static String groupKey(ServiceBackend c) {
        return c.group() == null ? "default" : c.group();
    }

    private static Versioned<Deployment> deployment(ResultSet row, int n) throws SQLException {
        Integer port = row.getObject("port") == null ? null : row.getInt("port");
        return new Versioned<>(new Deployment(row.getLong("id"), row.getString("service_name"), row.getString("name"),
                row.getString("url"), row.getString("host"), port, row.getString("status"), row.getString("stage")),
                row.getLong("version"));
    }

    private static Versioned<ServiceBackend> connection(ResultSet row, int n) throws SQLException {
        Integer priority = row.getObject("priority") == null ? null : row.getInt("priority");
        return new Versioned<>(new ServiceBackend(row.getLong("id"), row.getLong("service_deployment_id"),
                row.getLong("backend_deployment_id"), BackendRole.valueOf(row.getString("role")), priority,
                row.getString("routing_key"), row.getString("group_name")), row.getLong("version"));
    }
}
