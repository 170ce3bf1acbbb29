package dev.backendrouter.router.internal.topology;

import dev.backendrouter.api.Problem;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Merges a stage overlay over a base topology tree: mappings merge key by key, lists of named
 * entries (backends) merge by {@code name}, other values are replaced. An entry with a name the
 * base does not have is appended, but only when it gives its {@code role}: an overlay entry that
 * merely changes a URL under a misspelled name would otherwise add a member and leave the
 * intended one unchanged.
 */
public final class TreeMerger {
    private TreeMerger() {
    }

    /**
     * Merges {@code overlay} into {@code base} in place and returns {@code base}.
     *
     * @param path where {@code overlay} sits, for problems ({@code ""} at the top)
     */
    public static ObjectNode merge(ObjectNode base, ObjectNode overlay, String path, List<Problem> problems) {
        for (Map.Entry<String, JsonNode> entry : overlay.properties()) {
            JsonNode current = base.get(entry.getKey());
            JsonNode update = entry.getValue();
            String childPath = Fields.child(path, Fields.printable(entry.getKey()));
            if (current instanceof ObjectNode currentObject && update instanceof ObjectNode updateObject) {
                merge(currentObject, updateObject, childPath, problems);
            } else if (current instanceof ArrayNode currentArray && update instanceof ArrayNode updateArray
                    && isNamedList(currentArray) && isNamedList(updateArray)) {
                mergeByName(currentArray, updateArray, childPath, problems);
            } else {
                base.set(entry.getKey(), update.deepCopy());
            }
        }
        return base;
    }

    private static void mergeByName(ArrayNode base, ArrayNode overlay, String path, List<Problem> problems) {
        Set<String> known = new LinkedHashSet<>();
        base.forEach(existing -> known.add(existing.get("name").asString()));
        for (int i = 0; i < overlay.size(); i++) {
            JsonNode update = overlay.get(i);
            String name = update.get("name").asString();
            ObjectNode match = null;
            for (JsonNode existing : base) {
                if (name.equals(existing.get("name").asString())) {
                    match = (ObjectNode) existing;
                    break;
                }
            }
            String entryPath = path + "[" + i + "]";
            if (match != null) {
                merge(match, (ObjectNode) update, entryPath, problems);
            } else if (update.get("role") == null) {
                String nearest = Fields.nearest(name, known);
                problems.add(new Problem(entryPath + ".name", "'" + Fields.printable(name) + "' is not a backend of the "
                        + "base" + (nearest == null ? "" : " (did you mean '" + nearest + "'?)") + "; to add a backend "
                        + "in this stage, give its role too"));
            } else {
                base.add(update.deepCopy());
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
