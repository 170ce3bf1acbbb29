package dev.backendrouter.router.internal.topology;

import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Merges a stage overlay over a base topology tree: mappings merge key by key, lists of named
 * entries (backends) merge by {@code name} (a new name is appended), other values are replaced.
 */
public final class TreeMerger {
    private TreeMerger() {
    }

    /** Merges {@code overlay} into {@code base} in place and returns {@code base}. */
    public static ObjectNode merge(ObjectNode base, ObjectNode overlay) {
        for (Map.Entry<String, JsonNode> entry : overlay.properties()) {
            JsonNode current = base.get(entry.getKey());
            JsonNode update = entry.getValue();
            if (current instanceof ObjectNode currentObject && update instanceof ObjectNode updateObject) {
                merge(currentObject, updateObject);
            } else if (current instanceof ArrayNode currentArray && update instanceof ArrayNode updateArray
                    && isNamedList(currentArray) && isNamedList(updateArray)) {
                mergeByName(currentArray, updateArray);
            } else {
                base.set(entry.getKey(), update.deepCopy());
            }
        }
        return base;
    }

    private static void mergeByName(ArrayNode base, ArrayNode overlay) {
        for (JsonNode update : overlay) {
            String name = update.get("name").asString();
            ObjectNode match = null;
            for (JsonNode existing : base) {
                if (name.equals(existing.get("name").asString())) {
                    match = (ObjectNode) existing;
                    break;
                }
            }
            if (match == null) {
                base.add(update.deepCopy());
            } else {
                merge(match, (ObjectNode) update);
            }
        }
    }

    private static boolean isNamedList(ArrayNode array) {
        for (JsonNode element : array) {
            if (!(element instanceof ObjectNode) || element.get("name") == null || !element.get("name").isString()) {
                return false;
            }
        }
        return true;
    }
}
