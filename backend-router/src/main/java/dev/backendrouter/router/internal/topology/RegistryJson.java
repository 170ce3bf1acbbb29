package dev.backendrouter.router.internal.topology;

import dev.backendrouter.api.Problem;
import dev.backendrouter.api.Topology;
import dev.backendrouter.api.TopologyException;
import dev.backendrouter.api.internal.Texts;
import dev.backendrouter.api.registry.DeploymentWithBackends;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import okio.BufferedSource;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.json.JsonMapper;

/** The registry's JSON: {@code DeploymentWithBackends} read with the same limits as topology files. */
public final class RegistryJson {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private RegistryJson() {
    }

    /** The body, refusing one larger than a topology file may be. */
    public static byte[] readLimited(BufferedSource source) throws IOException {
        if (source.request(TopologyParser.MAX_BYTES + 1L)) {
            throw new IOException("the registry's answer is larger than " + TopologyParser.MAX_BYTES + " bytes");
        }
        return source.readByteArray();
    }

    /** The topology the registry's details describe; every problem is reported with its path in the JSON. */
    public static Topology topology(byte[] json, String source) {
        return details(json, source).toTopology();
    }

    /** The registry's details, read but not yet mapped onto a topology. */
    public static DeploymentWithBackends details(byte[] json, String source) {
        JsonNode tree;
        try {
            tree = JSON.readTree(json);
        } catch (JacksonException e) {
            throw refused(source, "", "the registry's answer is not JSON: " + shown(e));
        }
        if (tree == null || tree.isMissingNode()) {
            throw refused(source, "", "the registry's answer is empty: it should be a JSON object with the deployment and its backends");
        }
        if (tree.isNull() || tree.isObject() && (tree.get("deployment") == null || tree.get("deployment").isNull())) {
            throw refused(source, "deployment", "required: the registry's answer has no deployment");
        }
        if (!tree.isObject()) {
            throw refused(source, "", "the registry's answer must be a JSON object with the deployment and its backends, not "
                    + kind(tree));
        }
        List<Problem> shape = new ArrayList<>();
        JsonNode backends = tree.get("backends");
        if (backends != null && !backends.isNull() && !backends.isArray()) {
            shape.add(new Problem("backends", "must be a list of connections with their deployments, not " + kind(backends)));
        } else if (backends != null) {
            for (int i = 0; i < backends.size(); i++) {
                if (!backends.get(i).isObject()) {
                    shape.add(new Problem("backends[" + i + "]", "must be an object with a connection and a deployment, not "
                            + kind(backends.get(i))));
                }
            }
        }
        if (!shape.isEmpty()) {
            // the deployment's own problems are reported beside the shape's
            tools.jackson.databind.node.ObjectNode rest = ((tools.jackson.databind.node.ObjectNode) tree).deepCopy();
            rest.remove("backends");
            try {
                bind(rest, source);
            } catch (TopologyException e) {
                shape.addAll(e.problems());
            }
            throw new TopologyException(source, shape);
        }
        return bind(tree, source);
    }

    private static DeploymentWithBackends bind(JsonNode tree, String source) {
        try {
            return JSON.treeToValue(tree, DeploymentWithBackends.class);
        } catch (DatabindException e) {
            String path = path(e);
            if (e.getCause() instanceof NullPointerException missing && missing.getMessage() != null
                    && missing.getMessage().matches("[A-Za-z]+")) {
                // a record's requireNonNull(field, "field"): name the field, not the object around it
                throw refused(source, path.isEmpty() ? missing.getMessage() : path + "." + missing.getMessage(),
                        "required: the registry's answer has no " + missing.getMessage());
            }
            if (e instanceof MismatchedInputException mismatch && !path.isEmpty()) {
                String was = e instanceof InvalidFormatException format && format.getValue() != null
                        ? ", not '" + Texts.printable(String.valueOf(format.getValue()), 100) + "'" : "";
                throw refused(source, path, "must be " + expected(mismatch.getTargetType()) + was);
            }
            throw refused(source, path, (path.isEmpty() ? "the registry's answer cannot be read: " : "cannot be read: ") + shown(e));
        } catch (JacksonException e) {
            throw refused(source, "", "the registry's answer cannot be read: " + shown(e));
        }
    }

    private static TopologyException refused(String source, String path, String message) {
        return new TopologyException(source, List.of(new Problem(path, message)));
    }

    private static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "a list";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "true or false";
            case NULL -> "null";
            default -> "a " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    /** What a field of {@code type} takes, in the registry's words rather than Java's. */
    private static String expected(Class<?> type) {
        if (type == null) {
            return "of another type";
        }
        if (type == String.class) {
            return "a string";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive() && type != boolean.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type.isEnum()) {
            return "one of " + java.util.Arrays.toString(type.getEnumConstants());
        }
        if (java.util.Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        return "an object";
    }

    /** Jackson's message, which may quote the answer, with its control characters escaped. */
    private static String shown(JacksonException e) {
        return Texts.printable(String.valueOf(e.getOriginalMessage()), 300);
    }

    private static String path(DatabindException e) {
        StringBuilder path = new StringBuilder();
        for (var reference : e.getPath()) {
            if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            } else if (reference.getPropertyName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(reference.getPropertyName());
            }
        }
        return path.toString();
    }
}
