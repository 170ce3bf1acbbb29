package dev.backendrouter.samples.registry;

import com.sun.net.httpserver.HttpExchange;
import dev.backendrouter.api.BackendRole;
import dev.backendrouter.api.ShardRange;
import dev.backendrouter.api.registry.ServiceBackend;
import java.io.IOException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** Reads a connection from a request body and checks it; on the first problem, answers 400/404/409 naming the field. */
final class ConnectionValidator {
    private final RegistryStore store;

    ConnectionValidator(RegistryStore store) {
        this.store = store;
    }

    /** The connection, or {@code null} after an error answer was sent. */
    ServiceBackend read(HttpExchange exchange, ObjectMapper json, Long id) throws IOException {
        JsonNode body;
        try {
            body = json.readTree(exchange.getRequestBody());
        } catch (JacksonException e) {
            return fail(exchange, json, 400, "body is not JSON: " + e.getOriginalMessage(), "body");
        }
        if (body == null || !body.isObject()) {
            return fail(exchange, json, 400, "body must be a JSON object", "body");
        }
        Long service = id(body, "serviceDeploymentId");
        Long backend = id(body, "backendDeploymentId");
        if (service == null) {
            return fail(exchange, json, 400, "serviceDeploymentId: required, a deployment id", "serviceDeploymentId");
        }
        if (backend == null) {
            return fail(exchange, json, 400, "backendDeploymentId: required, a deployment id", "backendDeploymentId");
        }
        BackendRole role = BackendRole.PRIMARY;
        if (body.hasNonNull("role")) {
            role = BackendRole.parse(body.get("role").asString()).orElse(null);
            if (role == null) {
                return fail(exchange, json, 400, "role: unknown role '" + body.get("role").asString() + "'; use one of "
                        + BackendRole.validNames(), "role");
            }
        }
        Integer priority = null;
        if (body.hasNonNull("priority")) {
            if (!body.get("priority").canConvertToInt() || body.get("priority").intValue() < 0) {
                return fail(exchange, json, 400, "priority: must be a whole number of 0 or more", "priority");
            }
            priority = body.get("priority").intValue();
        }
        String routingKey = body.hasNonNull("routingKey") ? body.get("routingKey").asString() : null;
        if (role == BackendRole.SHARD && routingKey == null) {
            return fail(exchange, json, 400, "routingKey: required for a SHARD, e.g. users-a-m", "routingKey");
        }
        if (routingKey != null) {
            try {
                ShardRange.parse(routingKey);
            } catch (IllegalArgumentException e) {
                return fail(exchange, json, 400, "routingKey: " + e.getMessage(), "routingKey");
            }
        }
        String group = body.hasNonNull("group") ? body.get("group").asString() : null;
        if (group != null && !group.matches("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?")) {
            return fail(exchange, json, 400, "group: '" + group + "' is not a group name (lower-case letters, digits and '-')", "group");
        }
        if (store.deployment(service).isEmpty()) {
            return fail(exchange, json, 404, "serviceDeploymentId: no deployment " + service, "serviceDeploymentId");
        }
        if (store.deployment(backend).isEmpty()) {
            return fail(exchange, json, 404, "backendDeploymentId: no deployment " + backend, "backendDeploymentId");
        }
        return new ServiceBackend(id, service, backend, role, priority, routingKey, group);
    }

    private static Long id(JsonNode body, String field) {
        JsonNode value = body.get(field);
        return value != null && value.canConvertToLong() && value.isIntegralNumber() ? value.longValue() : null;
    }

    private static ServiceBackend fail(HttpExchange exchange, ObjectMapper json, int status, String message, String field)
            throws IOException {
        Errors.send(exchange, json, status, status == 404 ? "NOT_FOUND" : "VALIDATION_FAILED", message, field);
        return null;
    }
}
