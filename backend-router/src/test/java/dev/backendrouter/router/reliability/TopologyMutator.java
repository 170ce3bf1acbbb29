package dev.backendrouter.router.reliability;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Mutates a topology tree (maps, lists, scalars as Jackson reads them) in place, at random but
 * repeatably: the same seed gives the same mutations. Each mutation is named, for the failure
 * message that shows how a document came about.
 */
final class TopologyMutator {
    private static final String[] ROLES = {"MASTER", "primary ", "", "Read-Replica", "SHARD\n", "read_replica", "CACHE",
        "ARCHIVE", "BACKUP", "backup\u200b", "\u202eYRAMIRP", "SLAVE", "null"};
    private static final String[] URLS = {"ftp://localhost:21", "file:///etc/passwd", "javascript:alert(1)", "http://",
        "http://localhost:0", "http://localhost:65536", "http://localhost:", "http://[::1]:4001", "https://example.org/api",
        "http://user:pw@localhost:4001", "http://localhost:4001/?q=1", "http://localhost:4001/#f", "http://local host",
        "http://l\u043ecalhost", "//localhost:4001", "localhost:4001", "http://localhost:4001/%zz", "HTTP://LOCALHOST:4001",
        "http://127.0.0.1:4001/a/b/", "http://[::1", "${UNSET_URL}", "${SET_URL}", "${UNSET_URL:http://localhost:4005}"};
    private static final String[] KEYS = {"users-a-m", "users-n-z", "users-a-z", "users-0-z", "users-m-a", "users#0-8191",
        "users#8192-16383", "users#0-16383", "users#0-16384", "users#9000-100", "files-a-z", "users", "users-a-m-z", "",
        "users-\u0000-z", "users#-1-5", "USERS-A-M", "users-aa-mz", "sessions#0-99999999999"};
    private static final String[] FIELDS = {"prority", "url ", "Name", "routingkey", "extra", "weight\t", "labels.zone", "<<", "$ref"};

    private final Random random;
    private final List<String> log = new ArrayList<>();

    TopologyMutator(Random random) {
        this.random = random;
    }

    /** What was done, in order. */
    List<String> log() {
        return log;
    }

    /** Applies one random mutation somewhere under {@code root}. */
    void mutate(Map<String, Object> root) {
        List<Slot> slots = new ArrayList<>();
        collect(root, "", 0, slots);
        if (slots.isEmpty()) {
            root.put("service", nastyString());
            log.add("set the service of an empty document");
            return;
        }
        Slot slot = slots.get(random.nextInt(slots.size()));
        int kind = random.nextInt(14);
        String name = switch (kind) {
            case 0 -> slot.remove();
            case 1 -> slot.set(otherType(), "another type");
            case 2 -> slot.set(nastyString(), "a nasty string");
            case 3 -> duplicateMember(root);
            case 4 -> onMemberField(root, "role", ROLES[random.nextInt(ROLES.length)]);
            case 5 -> onMemberField(root, "routingKey", KEYS[random.nextInt(KEYS.length)]);
            case 6 -> onMemberField(root, random.nextBoolean() ? "priority" : "weight", number());
            case 7 -> slot.set(nest(slot.get(), 1 + random.nextInt(40)), "nested deeper");
            case 8 -> slot.set(null, "null");
            case 9 -> renameKey(slot);
            case 10 -> onMemberField(root, "url", URLS[random.nextInt(URLS.length)]);
            case 11 -> slot.set(placeholder(), "a placeholder");
            case 12 -> onMemberField(root, "labels", map("stage", random.nextBoolean() ? "prod" : "wip", "zone", nastyString()));
            default -> onMemberField(root, "auth", random.nextBoolean()
                    ? map("header", nastyString(), "value", nastyString()) : map("bearer", nastyString()));
        };
        boolean atSlot = kind <= 2 || kind == 7 || kind == 8 || kind == 9 || kind == 11;
        log.add(atSlot ? name + " at " + slot.path() : name + " of a random member");
    }

    /**
     * Applies one random mutation to a registry answer ({@code deployment}, and {@code backends}
     * of {@code connection} and {@code deployment} each): one of {@link #mutate}'s in a third of
     * the cases, else one aimed at a connection or a backend deployment.
     */
    @SuppressWarnings("unchecked")
    void mutateAnswer(Map<String, Object> root) {
        List<Map<String, Object>> entries = new ArrayList<>();
        if (root.get("backends") instanceof List<?> backends) {
            backends.stream().filter(Map.class::isInstance).forEach(b -> entries.add((Map<String, Object>) b));
        }
        if (entries.isEmpty() || random.nextInt(3) == 0) {
            mutate(root);
            return;
        }
        Map<String, Object> entry = entries.get(random.nextInt(entries.size()));
        Map<String, Object> connection = child(entry, "connection");
        Map<String, Object> deployment = child(entry, "deployment");
        String name = switch (random.nextInt(9)) {
            case 0 -> put(connection, "role", ROLES[random.nextInt(ROLES.length)]);
            case 1 -> put(connection, "routingKey", KEYS[random.nextInt(KEYS.length)]);
            case 2 -> put(connection, "priority", number());
            case 3 -> put(connection, "group", random.nextBoolean() ? nastyString() : "storage");
            case 4 -> put(deployment, "host", random.nextBoolean() ? nastyString() : "localhost");
            case 5 -> put(deployment, "port", number());
            case 6 -> put(deployment, "url", URLS[random.nextInt(URLS.length)]);
            case 7 -> put(deployment, "stage", random.nextBoolean() ? "prod" : "wip");
            default -> {
                ((List<Object>) root.get("backends")).add(copy(entry));
                yield "duplicated";
            }
        };
        log.add(name + " of a random backend");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> child(Map<String, Object> entry, String key) {
        if (!(entry.get(key) instanceof Map<?, ?>)) {
            entry.put(key, new LinkedHashMap<>());
        }
        return (Map<String, Object>) entry.get(key);
    }

    private static String put(Map<String, Object> map, String field, Object value) {
        map.put(field, value);
        return "set " + field;
    }

    /** A place in the tree that holds a value: a map's key or a list's index. */
    private record Slot(Object container, Object key, String path) {
        Object get() {
            return container instanceof Map<?, ?> map ? map.get(key) : ((List<?>) container).get((Integer) key);
        }

        @SuppressWarnings("unchecked")
        String set(Object value, String what) {
            if (container instanceof Map<?, ?> map) {
                ((Map<Object, Object>) map).put(key, value);
            } else {
                ((List<Object>) container).set((Integer) key, value);
            }
            return "set " + what;
        }

        String remove() {
            if (container instanceof Map<?, ?> map) {
                map.remove(key);
            } else {
                ((List<?>) container).remove((int) (Integer) key);
            }
            return "removed";
        }
    }

    private static void collect(Object node, String path, int depth, List<Slot> slots) {
        if (node instanceof Map<?, ?> map) {
            for (Object key : List.copyOf(map.keySet())) {
                String child = path.isEmpty() ? key.toString() : path + "." + key;
                slots.add(new Slot(map, key, child));
                collect(map.get(key), child, depth + 1, slots);
            }
        } else if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                slots.add(new Slot(list, i, path + "[" + i + "]"));
                collect(list.get(i), path + "[" + i + "]", depth + 1, slots);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> members(Map<String, Object> root) {
        List<Map<String, Object>> members = new ArrayList<>();
        List<Object> lists = new ArrayList<>();
        lists.add(root.get("backends"));
        if (root.get("groups") instanceof Map<?, ?> groups) {
            groups.values().forEach(g -> lists.add(g instanceof Map<?, ?> group ? group.get("backends") : null));
        }
        for (Object list : lists) {
            if (list instanceof List<?> backends) {
                backends.stream().filter(Map.class::isInstance).forEach(m -> members.add((Map<String, Object>) m));
            }
        }
        return members;
    }

    private String onMemberField(Map<String, Object> root, String field, Object value) {
        List<Map<String, Object>> members = members(root);
        if (members.isEmpty()) {
            return "no member to set " + field + " on";
        }
        members.get(random.nextInt(members.size())).put(field, value);
        return "set " + field;
    }

    @SuppressWarnings("unchecked")
    private String duplicateMember(Map<String, Object> root) {
        for (Object list : List.of(root.getOrDefault("groups", Map.of()) instanceof Map<?, ?> g ? g.values() : List.of())) {
            for (Object group : (Iterable<?>) list) {
                if (group instanceof Map<?, ?> map && map.get("backends") instanceof List<?> backends && !backends.isEmpty()) {
                    Object copy = copy(backends.get(random.nextInt(backends.size())));
                    ((List<Object>) backends).add(random.nextInt(backends.size() + 1), copy);
                    return "duplicated a member";
                }
            }
        }
        return "no member to duplicate";
    }

    @SuppressWarnings("unchecked")
    private String renameKey(Slot slot) {
        if (!(slot.container() instanceof Map<?, ?> map)) {
            return slot.set(nastyString(), "a nasty string instead of renaming");
        }
        Object value = map.remove(slot.key());
        ((Map<Object, Object>) map).put(random.nextBoolean() ? FIELDS[random.nextInt(FIELDS.length)] : nastyString(), value);
        return "renamed";
    }

    private Object otherType() {
        return switch (random.nextInt(8)) {
            case 0 -> nastyString();
            case 1 -> number();
            case 2 -> random.nextBoolean();
            case 3 -> new ArrayList<>(List.of("a", 1));
            case 4 -> map("k", "v");
            case 5 -> new BigDecimal("1.5");
            case 6 -> new ArrayList<>();
            default -> new LinkedHashMap<>();
        };
    }

    private Object number() {
        return switch (random.nextInt(7)) {
            case 0 -> 0;
            case 1 -> -1 - random.nextInt(100);
            case 2 -> Integer.MAX_VALUE;
            case 3 -> Long.MIN_VALUE;
            case 4 -> new BigInteger("1" + "0".repeat(30));
            case 5 -> new BigDecimal("1e400");
            default -> random.nextInt(200);
        };
    }

    private String nastyString() {
        String[] pieces = {"a", "Z", "-", ".", "\r", "\n", "\u0000", "\t", "\u001b[31m", "\u0085", "\u202e", "\u200b", "\ufeff",
            "\u2028", "\u00e9", "${", "$${x}", "}", ":", "#", "&anchor", "*alias", "!!java.net.URL", "'", "\"", "\\", " ",
            "users-a-m", "http://localhost:4001"};
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(8);
        for (int i = 0; i < length; i++) {
            text.append(pieces[random.nextInt(pieces.length)]);
        }
        return random.nextInt(20) == 0 ? text.append("x".repeat(70_000)).toString() : text.toString();
    }

    private Object placeholder() {
        String[] texts = {"${UNSET_X}", "${SET_URL}", "${PRIORITY}", "${UNSET_X:3}", "${", "${1BAD}", "${A:${B}}", "$${SET_URL}", "${}"};
        return texts[random.nextInt(texts.length)];
    }

    private static Object nest(Object value, int levels) {
        Object nested = value;
        for (int i = 0; i < levels; i++) {
            nested = i % 2 == 0 ? new ArrayList<>(List.of(nested == null ? "x" : nested)) : map("k", nested == null ? "x" : nested);
        }
        return nested;
    }

    /** A mutable map of these keys and values, in this order (Map.of's order changes from run to run). */
    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    /** A deep copy of a tree. */
    @SuppressWarnings("unchecked")
    static Object copy(Object node) {
        if (node instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(k, copy(v)));
            return copy;
        }
        if (node instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(v -> copy.add(copy(v)));
            return copy;
        }
        return node;
    }

}
