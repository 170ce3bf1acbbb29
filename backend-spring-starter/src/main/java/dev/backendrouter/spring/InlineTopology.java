package dev.backendrouter.spring;

import dev.backendrouter.router.TopologySource;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.core.env.Environment;

/**
 * The {@code backend-router.groups.*} properties as a topology tree with the file's field names,
 * read by the same loader as a file, so its problems have the same paths.
 */
final class InlineTopology {
    private InlineTopology() {
    }

    static TopologySource source(BackendRouterProperties properties, Environment environment) {
        Map<String, Object> tree = new LinkedHashMap<>();
        String service = properties.getService() != null ? properties.getService()
                : environment.getProperty("spring.application.name", "application");
        tree.put("service", service);
        Map<String, Object> groups = new LinkedHashMap<>();
        properties.getGroups().forEach((name, group) -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("backends", group.getBackends().stream().map(InlineTopology::fileFields).toList());
            if (group.getAllowShardGaps() != null) {
                entry.put("allowShardGaps", group.getAllowShardGaps());
            }
            if (group.getCache() != null) {
                entry.put("cache", fileFields(group.getCache()));
            }
            groups.put(name, entry);
        });
        tree.put("groups", groups);
        return TopologySource.fromTree("backend-router.* properties", tree);
    }

    /**
     * Property names are kebab-case ({@code routing-key}); the file's are camelCase ({@code routingKey}).
     * A list inside a backend ({@code tls.pins[0]}, {@code tls.pins[1]}) binds as a map of its indexes.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> fileFields(Map<String, Object> properties) {
        Map<String, Object> fields = new LinkedHashMap<>();
        properties.forEach((key, value) -> fields.put(camel(key),
                value instanceof Map<?, ?> nested && !"labels".equals(key) ? listOrFields((Map<String, Object>) nested) : value));
        return fields;
    }

    private static Object listOrFields(Map<String, Object> nested) {
        for (int i = 0; i < nested.size(); i++) {
            if (!nested.containsKey(Integer.toString(i))) {
                return fileFields(nested);
            }
        }
        return nested.isEmpty() ? nested : java.util.stream.IntStream.range(0, nested.size())
                .mapToObj(i -> nested.get(Integer.toString(i))).toList();
    }

    static String camel(String kebab) {
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char c : kebab.toCharArray()) {
            if (c == '-') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }
}
