package dev.backendrouter.registry;

import dev.backendrouter.api.BackendRole;
import dev.backendrouter.api.ShardRange;
import dev.backendrouter.api.internal.Texts;
import dev.backendrouter.api.registry.ServiceBackend;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/** A {@code ServiceBackend} read from a request body, each field checked and named when wrong. */
final class ConnectionBody {
    private static final Set<String> FIELDS = Set.of("id", "serviceDeploymentId", "backendDeploymentId", "role", "priority",
            "routingKey", "group");

    private ConnectionBody() {
    }

    static ServiceBackend read(JsonNode body, Long id) {
        return read(body, id, "");
    }

    /** {@code prefix} names the element of a batch ({@code [2].}) in every problem. */
    static ServiceBackend read(JsonNode body, Long id, String prefix) {
        try {
            return readOne(body, id);
        } catch (ApiException e) {
            if (prefix.isEmpty() || !(e.details().get("field") instanceof String field)) {
                throw e;
            }
            throw ApiException.invalid(prefix + field, e.getMessage().substring(field.length() + 2));
        }
    }

    private static ServiceBackend readOne(JsonNode body, Long id) {
        if (body == null || !body.isObject()) {
            throw ApiException.invalid("body", "must be a JSON object (a ServiceBackend)");
        }
        for (String name : body.propertyNames()) {
            if (!FIELDS.contains(name)) {
                throw ApiException.invalid(Texts.printable(name, 100), "unknown field; a connection has " + FIELDS);
            }
        }
        if (id != null && body.hasNonNull("id") && (!body.get("id").isIntegralNumber() || body.get("id").asLong() != id)) {
            throw ApiException.invalid("id", "the body's id is not " + id);
        }
        long service = id(body, "serviceDeploymentId");
        long backend = id(body, "backendDeploymentId");
        if (service == backend) {
            throw ApiException.invalid("backendDeploymentId", "a deployment cannot be its own backend");
        }
        BackendRole role = BackendRole.PRIMARY;
        if (body.hasNonNull("role")) {
            String name = body.get("role").isString() ? body.get("role").asString() : body.get("role").toString();
            role = BackendRole.parse(name).orElseThrow(() -> ApiException.invalid("role",
                    "unknown role '" + Texts.printable(name, 100) + "'; use one of " + BackendRole.validNames()));
        }
        Integer priority = null;
        if (body.hasNonNull("priority")) {
            JsonNode value = body.get("priority");
            if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < 0) {
                throw ApiException.invalid("priority", "must be a whole number of 0 or more");
            }
            priority = value.intValue();
        }
        String routingKey = text(body, "routingKey");
        if (role == BackendRole.SHARD && routingKey == null) {
            throw ApiException.invalid("routingKey", "required for a SHARD, e.g. users-a-m or users#0-8191");
        }
        if (routingKey != null) {
            try {
                ShardRange.parse(routingKey);
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid("routingKey", e.getMessage());
            }
        }
        String group = text(body, "group");
        if (group != null && !group.matches("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?")) {
            throw ApiException.invalid("group", "'" + Texts.printable(group, 100)
                    + "' is not a group name (lower-case letters, digits and '-', at most 63)");
        }
        return new ServiceBackend(id, service, backend, role, priority, routingKey, group);
    }

    private static long id(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            throw ApiException.invalid(field, "required, a deployment id");
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 1) {
            throw ApiException.invalid(field, "must be a deployment id (a whole number of 1 or more)");
        }
        return value.longValue();
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            throw ApiException.invalid(field, "must be a string");
        }
        if (value.asString().length() > 253) {
            throw ApiException.invalid(field, "longer than 253 characters");
        }
        return value.asString();
    }
}
