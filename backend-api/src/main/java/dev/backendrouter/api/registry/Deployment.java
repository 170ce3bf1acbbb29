package dev.backendrouter.api.registry;

import java.util.Locale;

/**
 * A deployment as the registry shows it: a running instance of a service.
 *
 * <pre>{@code
 * new Deployment(456, "file-system-server", "file-system-server-1", null, "localhost", 4001, "running", "prod")
 *     .baseUrl();   // "http://localhost:4001"
 * }</pre>
 *
 * @param id the deployment's id
 * @param serviceName the service it runs ({@code file-system-server})
 * @param name the deployment's own name ({@code file-system-server-1})
 * @param url its base URL, when the registry gives one
 * @param host its host, used with {@code port} when there is no {@code url}
 * @param port its port
 * @param status as reported by the registry ({@code running}, {@code stopped}); informational
 * @param stage the stage it belongs to ({@code prep}, {@code prod}), or {@code null}
 */
public record Deployment(
        long id,
        String serviceName,
        String name,
        String url,
        String host,
        Integer port,
        String status,
        String stage) {

    /** The base URL: {@code url} when given, else {@code http://host:port}; {@code null} when neither. */
    public String baseUrl() {
        if (url != null && !url.isBlank()) {
            return url.trim();
        }
        if (host != null && !host.isBlank() && port != null) {
            String h = host.trim();
            return "http://" + (h.contains(":") && !h.startsWith("[") ? "[" + h + "]" : h) + ":" + port;
        }
        return null;
    }

    /** The name a member built from this deployment gets: its name, else its service name and id. */
    public String memberName() {
        if (name != null && !name.isBlank()) {
            return name.trim();
        }
        String base = serviceName == null || serviceName.isBlank() ? "deployment" : serviceName.trim();
        return base.toLowerCase(Locale.ROOT) + "-" + id;
    }
}
