package dev.backendrouter.router.internal.topology;

import dev.backendrouter.api.Problem;
import dev.backendrouter.api.internal.Texts;
import java.util.List;
import org.snakeyaml.engine.v2.api.LoadSettings;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLFactory;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLParser;

/**
 * Reads topology text (YAML or JSON) into a tree with hard limits, so a hostile or broken file
 * ends in a problem, never in an endless parse or an exhausted heap.
 */
public final class TopologyParser {
    /** Files larger than this are refused: a topology is a few kilobytes. */
    public static final int MAX_BYTES = 1024 * 1024;
    static final int MAX_NESTING = 32;
    static final int MAX_ALIASES = 20;
    static final int MAX_TREE_NODES = 100_000;

    private static final StreamReadConstraints LIMITS = StreamReadConstraints.builder()
            .maxNestingDepth(MAX_NESTING)
            .maxDocumentLength(MAX_BYTES)
            .maxStringLength(64 * 1024)
            .build();

    // big decimals keep what was written: version 1.10 stays "1.10", not the double 1.1
    private static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder().streamReadConstraints(LIMITS).build())
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY, DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private static final ObjectMapper YAML = YAMLMapper.builder(YAMLFactory.builder()
                    .streamReadConstraints(LIMITS)
                    .loadSettings(LoadSettings.builder()
                            .setAllowDuplicateKeys(false)
                            .setAllowRecursiveKeys(false)
                            .setMaxAliasesForCollections(MAX_ALIASES)
                            .setCodePointLimit(MAX_BYTES)
                            .build())
                    .build())
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY, DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private TopologyParser() {
    }

    /**
     * A tree of maps, lists and scalars as the loader's tree; on a tree the loader cannot take (a
     * loop, nesting over the limit, a null key) adds a problem at its path and returns {@code null}.
     */
    public static tools.jackson.databind.node.ObjectNode tree(java.util.Map<String, ?> map, List<Problem> problems) {
        if (!fitsLimits(map, "", 0, new int[1], problems)) {
            return null;
        }
        try {
            return JSON.valueToTree(map);
        } catch (JacksonException e) {
            problems.add(new Problem("", "cannot be read: " + firstLine(e.getOriginalMessage())));
            return null;
        }
    }

    /** Checked before Jackson walks the tree: a loop or a deep tree would overflow its stack. */
    private static boolean fitsLimits(Object value, String path, int depth, int[] nodes, List<Problem> problems) {
        if (depth > MAX_NESTING || ++nodes[0] > MAX_TREE_NODES) {
            problems.add(new Problem(path, depth > MAX_NESTING
                    ? "nested deeper than " + MAX_NESTING + " levels (does the tree hold itself?)"
                    : "more than " + MAX_TREE_NODES + " values, the limit for a topology"));
            return false;
        }
        if (value instanceof java.util.Map<?, ?> map) {
            for (java.util.Map.Entry<?, ?> entry : map.entrySet()) {
                if (entry.getKey() == null) {
                    problems.add(new Problem(Fields.child(path, "null"), "a key is null"));
                    return false;
                }
                String child = Fields.child(path, Fields.printable(entry.getKey().toString()));
                if (!fitsLimits(entry.getValue(), child, depth + 1, nodes, problems)) {
                    return false;
                }
            }
        } else if (value instanceof Iterable<?> || value instanceof Object[]) {
            int index = 0;
            for (Object element : value instanceof Object[] array ? java.util.Arrays.asList(array) : (Iterable<?>) value) {
                if (!fitsLimits(element, path + "[" + index++ + "]", depth + 1, nodes, problems)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Whether a file name says JSON; anything else is read as YAML. */
    public static boolean isJson(String fileName) {
        return fileName.toLowerCase(java.util.Locale.ROOT).endsWith(".json");
    }

    /**
     * Parses the text; on failure adds a problem (with line and column when known) and returns
     * {@code null}.
     */
    public static JsonNode parse(byte[] bytes, boolean json, List<Problem> problems) {
        if (bytes.length > MAX_BYTES) {
            problems.add(new Problem("", "the file is larger than " + MAX_BYTES + " bytes, the limit for a "
                    + "topology (is it the right file?)"));
            return null;
        }
        int badByte = firstInvalidUtf8(bytes);
        if (badByte >= 0) {
            problems.add(new Problem("", "the file is not UTF-8 text (byte " + badByte + " cannot be decoded): "
                    + "save it as UTF-8"));
            return null;
        }
        try {
            if (!json && firstAlias(bytes, problems)) {
                return null;
            }
            JsonNode root = (json ? JSON : YAML).readTree(bytes);
            if (root == null || root.isMissingNode() || root.isNull()) {
                problems.add(new Problem("", "the file is empty: it needs at least 'service' and 'groups'"));
                return null;
            }
            if (!root.isObject()) {
                problems.add(new Problem("", "the file must hold a mapping with 'service' and 'groups', not a "
                        + root.getNodeType().name().toLowerCase(java.util.Locale.ROOT)));
                return null;
            }
            return root;
        } catch (JacksonException e) {
            problems.add(syntaxProblem(e, bytes, json));
            return null;
        } catch (RuntimeException e) {
            // snakeyaml-engine reports some limits (aliases, code points) with its own exceptions
            problems.add(new Problem("", (json ? "JSON" : "YAML") + " could not be read: " + firstLine(e.getMessage())));
            return null;
        }
    }

    private static int firstInvalidUtf8(byte[] bytes) {
        java.nio.charset.CharsetDecoder decoder = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(8192);
        while (true) {
            java.nio.charset.CoderResult result = decoder.decode(in, out, true);
            if (result.isError()) {
                return in.position();
            }
            if (result.isUnderflow()) {
                return -1;
            }
            out.clear();
        }
    }

    /**
     * Jackson's YAML reader turns an alias ({@code *name}) into the text "name" instead of the
     * anchored value, which would load a silently wrong topology; so aliases are refused.
     */
    private static boolean firstAlias(byte[] bytes, List<Problem> problems) {
        try (JsonParser parser = YAML.createParser(bytes)) {
            while (parser.nextToken() != null) {
                if (parser instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
                    TokenStreamLocation at = parser.currentTokenLocation();
                    problems.add(new Problem("line " + at.getLineNr() + ", column " + at.getColumnNr(),
                            "YAML aliases (*" + parser.getString() + ") are not supported: write the value out, "
                                    + "or use a stage overlay to share values"));
                    return true;
                }
            }
        }
        return false;
    }

    private static Problem syntaxProblem(JacksonException e, byte[] bytes, boolean json) {
        TokenStreamLocation location = e.getLocation();
        if (location == null || location.getLineNr() <= 0) {
            location = failingLocation(bytes, json);   // a limit (nesting, lengths) is reported without one
        }
        String where = location != null && location.getLineNr() > 0
                ? "line " + location.getLineNr() + ", column " + location.getColumnNr()
                : "";
        return new Problem(where, (json ? "JSON" : "YAML") + " syntax: " + firstLine(e.getOriginalMessage()));
    }

    /** Where reading the text token by token fails, or {@code null}. */
    private static TokenStreamLocation failingLocation(byte[] bytes, boolean json) {
        try (JsonParser parser = (json ? JSON : YAML).createParser(bytes)) {
            try {
                for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                    if (token.isScalarValue()) {
                        parser.getString();
                    }
                    if (token.isNumeric()) {
                        parser.getNumberValue();
                    }
                }
            } catch (JacksonException e) {
                return parser.currentLocation();
            }
        } catch (JacksonException e) {
            return null;
        }
        return null;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable input";
        }
        int newline = message.indexOf('\n');
        // the parser's message may quote the input: show its control characters as escapes
        return Texts.printable(newline < 0 ? message : message.substring(0, newline), 300);
    }
}
