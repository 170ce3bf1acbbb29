package dev.backendrouter.registry;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import tools.jackson.databind.ObjectMapper;

/**
 * The history: every change, written in the transaction that makes it, with the token's name, the
 * time, and the resource before and after (as the API shows them).
 */
@Repository
class Audit {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Audit.class);
    private final JdbcClient jdbc;
    private final ObjectMapper json;

    Audit(JdbcClient jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /**
     * Records one change of {@code deploymentId}'s topology or of the deployment itself.
     *
     * @param resource {@code deployment 456} or {@code connection 12}
     */
    void record(String action, long deploymentId, String resource, Object before, Object after) {
        String actor = "system";
        String requestId = null;
        RequestAttributes request = RequestContextHolder.getRequestAttributes();
        if (request != null) {
            Object caller = request.getAttribute(AccessFilter.CALLER, RequestAttributes.SCOPE_REQUEST);
            actor = caller instanceof Tokens.Caller c ? c.name() : "anonymous";
            Object id = request.getAttribute("registry.requestId", RequestAttributes.SCOPE_REQUEST);
            requestId = id == null ? null : id.toString();
        }
        log.info("{} {} of deployment {} by {}", action, resource, deploymentId, actor);
        jdbc.sql("INSERT INTO audit (at, actor, action, deployment_id, resource, before_json, after_json, request_id)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                .params(Timestamp.from(Instant.now()), actor, action, deploymentId, resource,
                        before == null ? null : json.writeValueAsString(before), after == null ? null : json.writeValueAsString(after),
                        requestId)
                .update();
    }

    /** The changes of one deployment, newest first. */
    List<Map<String, Object>> of(long deploymentId, int limit) {
        return jdbc.sql("SELECT id, at, actor, action, deployment_id, resource, before_json, after_json, request_id FROM audit"
                        + " WHERE deployment_id = ? ORDER BY id DESC FETCH FIRST ? ROWS ONLY")
                .params(deploymentId, limit)
                .query((row, n) -> {
                    Map<String, Object> entry = new LinkedHashMap<>();
                    entry.put("id", row.getLong("id"));
                    entry.put("at", row.getTimestamp("at").toInstant().toString());
                    entry.put("actor", row.getString("actor"));
                    entry.put("action", row.getString("action"));
                    entry.put("deploymentId", row.getLong("deployment_id"));
                    entry.put("resource", row.getString("resource"));
                    entry.put("before", tree(row.getString("before_json")));
                    entry.put("after", tree(row.getString("after_json")));
                    entry.put("requestId", row.getString("request_id"));
                    return entry;
                }).list();
    }

    private Object tree(String text) {
        return text == null ? null : json.readTree(text);
    }
}
