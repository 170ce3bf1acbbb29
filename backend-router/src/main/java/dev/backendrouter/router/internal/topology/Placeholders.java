package dev.backendrouter.router.internal.topology;

import dev.backendrouter.api.Problem;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Resolves {@code ${VAR}} and {@code ${VAR:default}} in every string value of a tree;
 * {@code $${} stands for a literal {@code ${}. A variable that is unset and has no default is a
 * problem at its path, and the value becomes {@code null}.
 */
public final class Placeholders {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\$\\{|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::([^}]*))?}");

    private Placeholders() {
    }

    /** Resolves every placeholder under {@code node} in place. */
    public static void resolve(JsonNode node, String path, Function<String, String> environment, List<Problem> problems) {
        if (node instanceof ObjectNode object) {
            for (String name : List.copyOf(object.propertyNames())) {
                String childPath = Fields.child(path, Fields.printable(name));
                JsonNode child = object.get(name);
                if (child.isString()) {
                    object.set(name, resolved(child.asString(), childPath, environment, problems));
                } else {
                    resolve(child, childPath, environment, problems);
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                String childPath = path + "[" + i + "]";
                JsonNode child = array.get(i);
                if (child.isString()) {
                    array.set(i, resolved(child.asString(), childPath, environment, problems));
                } else {
                    resolve(child, childPath, environment, problems);
                }
            }
        }
    }

    private static JsonNode resolved(String text, String path, Function<String, String> environment, List<Problem> problems) {
        if (!text.contains("${")) {
            return JsonNodeFactory.instance.stringNode(text);
        }
        Matcher matcher = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        boolean unresolved = false;
        while (matcher.find()) {
            String replacement;
            if (matcher.group().equals("$${")) {
                replacement = "${";
            } else {
                String variable = matcher.group(1);
                String value = environment.apply(variable);
                if (value == null) {
                    value = matcher.group(2);
                }
                if (value == null) {
                    problems.add(new Problem(path, "environment variable " + variable + " is not set and "
                            + "the placeholder has no default (write ${" + variable + ":default} to give one)"));
                    unresolved = true;
                    value = "";
                }
                replacement = value;
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(out);
        if (unresolved) {
            return JsonNodeFactory.instance.nullNode();
        }
        String result = out.toString();
        int stray = strayPlaceholder(text);
        if (stray >= 0) {
            problems.add(new Problem(path, "unterminated or malformed placeholder at character " + stray
                    + ": write ${NAME} or ${NAME:default}, NAME of letters, digits and '_'"));
            return JsonNodeFactory.instance.nullNode();
        }
        return JsonNodeFactory.instance.stringNode(result);
    }

    /** The index of a "${" that is neither a well-formed placeholder nor escaped, or -1. */
    private static int strayPlaceholder(String text) {
        Matcher matcher = PLACEHOLDER.matcher(text);
        int from = 0;
        while (true) {
            int at = text.indexOf("${", from);
            if (at < 0) {
                return -1;
            }
            if (at > 0 && text.charAt(at - 1) == '$') {
                from = at + 2;
                continue;
            }
            if (!matcher.find(at) || matcher.start() != at) {
                return at;
            }
            from = matcher.end();
        }
    }
}
