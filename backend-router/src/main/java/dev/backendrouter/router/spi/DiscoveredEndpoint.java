package dev.backendrouter.router.spi;

import java.net.URI;
import java.util.Map;
import java.util.Objects;

/**
 * One endpoint of a discovered tier.
 *
 * @param name what makes it one of its tier's ({@code file-system-server-7d9f-x2x4q}, a pod's name)
 * @param url its base URL ({@code http://10.1.2.3:8080})
 * @param ready {@code true} when it takes calls; {@code false} when it is only still serving (a
 *     terminating pod): it is then called only when no other member of its role is left
 * @param labels kept on its member, such as {@code zone}
 */
public record DiscoveredEndpoint(String name, URI url, boolean ready, Map<String, String> labels) {
    public DiscoveredEndpoint {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(url, "url");
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }
}
