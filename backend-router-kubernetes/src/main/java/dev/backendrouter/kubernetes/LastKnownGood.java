package dev.backendrouter.kubernetes;

import dev.backendrouter.router.spi.DiscoveredEndpoint;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** A Service's endpoints kept in a file as they change, to start from when the API server cannot be reached. */
final class LastKnownGood {
    private static final Logger LOG = LoggerFactory.getLogger(LastKnownGood.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private LastKnownGood() {
    }

    /** {@code kubernetes://storage.prod/http} → {@code FOLDER/storage.prod-http.json}. */
    static Path fileFor(Path folder, URI url) {
        String name = (url.getHost() + url.getRawPath() + (url.getRawQuery() == null ? "" : "-" + url.getRawQuery()))
                .replaceAll("[^A-Za-z0-9.-]", "-");
        return folder.resolve(name + ".json");
    }

    static void write(Path file, List<DiscoveredEndpoint> endpoints) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (DiscoveredEndpoint endpoint : endpoints) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", endpoint.name());
            row.put("url", endpoint.url().toString());
            row.put("ready", endpoint.ready());
            row.put("labels", endpoint.labels());
            rows.add(row);
        }
        try {
            Files.createDirectories(file.getParent());
            Path next = file.resolveSibling(file.getFileName() + ".next");
            Files.write(next, JSON.writeValueAsBytes(rows));
            Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not keep the endpoints in {}: {}; a start without the API server will not find them", file, e.toString());
        }
    }

    /** The endpoints kept in the file, or {@code null} when there is none (or it cannot be read). */
    static List<DiscoveredEndpoint> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            List<Map<String, Object>> rows = JSON.readValue(Files.readAllBytes(file), new TypeReference<>() { });
            List<DiscoveredEndpoint> endpoints = new ArrayList<>();
            for (Map<String, Object> row : rows) {
                @SuppressWarnings("unchecked")
                Map<String, String> labels = (Map<String, String>) row.get("labels");
                endpoints.add(new DiscoveredEndpoint((String) row.get("name"), URI.create((String) row.get("url")),
                        Boolean.TRUE.equals(row.get("ready")), labels));
            }
            return List.copyOf(endpoints);
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not read the kept endpoints in {}: {}", file, e.toString());
            return null;
        }
    }
}
