package dev.backendrouter.router.spi;

import java.net.URI;
import java.util.Objects;

/**
 * What to follow: the member of the topology that names it.
 *
 * @param memberName the member's name, which each endpoint's member name starts with
 * @param url the member's URL ({@code kubernetes://file-system-server.storage/http})
 * @param path where the member is in the topology ({@code groups.files.backends[0]}), for messages
 */
public record DiscoveryTarget(String memberName, URI url, String path) {
    public DiscoveryTarget {
        Objects.requireNonNull(memberName, "memberName");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(path, "path");
    }
}
