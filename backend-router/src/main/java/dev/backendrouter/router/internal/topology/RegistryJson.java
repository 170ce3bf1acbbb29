package dev.backendrouter.router.internal.topology;

import dev.backendrouter.api.Problem;
import dev.backendrouter.api.Topology;
import dev.backendrouter.api.TopologyException;
import dev.backendrouter.api.internal.Texts;
import dev.backendrouter.api.registry.DeploymentWithBackends;
import java.io.IOException;
import java.util.List;
import okio.BufferedSource;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.ObjectMapper;
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
        DeploymentWithBackends details;
        try {
            details = JSON.readValue(json, DeploymentWithBackends.class);
        } catch (DatabindException e) {
            String path = path(e);
            if (e.getCause() instanceof NullPointerException missing && missing.getMessage() != null
                    && missing.getMessage().matches("[A-Za-z]+")) {
                // a record's requireNonNull(field, "field"): name the field, not the object around it
                throw new TopologyException(source, List.of(new Problem(path.isEmpty() ? missing.getMessage()
                        : path + "." + missing.getMessage(), "required: the registry's answer has no " + missing.getMessage())));
            }
            throw new TopologyException(source, List.of(new Problem(path, "cannot be read: " + shown(e))));
        } catch (JacksonException e) {
            throw new TopologyException(source, List.of(new Problem("", "the registry's answer is not JSON: " + shown(e))));
        }
        if (details == null || details.deployment() == null) {
            throw new TopologyException(source, List.of(new Problem("deployment", "required: the registry's answer has no deployment")));
        }
        return details;
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
