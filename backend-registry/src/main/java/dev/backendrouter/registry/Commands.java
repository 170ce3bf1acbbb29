package dev.backendrouter.registry;

import dev.backendrouter.api.registry.Deployment;
import dev.backendrouter.api.registry.ServiceBackend;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The jar's commands, run against the registry's database without serving:
 * {@code token create NAME --scope read|write}, {@code token revoke NAME}, {@code token list},
 * and {@code import registry.json} (the file of the wave-1 sample registry).
 */
final class Commands {
    static final List<String> NAMES = List.of("token", "import");

    private Commands() {
    }

    static boolean isCommand(String[] args) {
        return args.length > 0 && NAMES.contains(args[0]);
    }

    /** Runs the command; returns the process's exit code. */
    static int run(ConfigurableApplicationContext context, List<String> args, PrintStream out, PrintStream err) {
        try {
            if (args.get(0).equals("import")) {
                if (args.size() != 2) {
                    return usage(err);
                }
                return importFile(context, Path.of(args.get(1)), out);
            }
            Tokens tokens = context.getBean(Tokens.class);
            String verb = args.size() > 1 ? args.get(1) : "";
            switch (verb) {
                case "create" -> {
                    if (args.size() < 3) {
                        return usage(err);
                    }
                    String scope = args.size() == 5 && args.get(3).equals("--scope") ? args.get(4) : args.size() == 3 ? "read" : null;
                    if (scope == null) {
                        return usage(err);
                    }
                    out.println(tokens.create(args.get(2), scope));
                    err.println("Token '" + args.get(2) + "' (scope " + scope + ") made; it is shown only now, keep it in a secret store");
                    return 0;
                }
                case "revoke" -> {
                    if (args.size() != 3) {
                        return usage(err);
                    }
                    if (!tokens.revoke(args.get(2))) {
                        err.println("No token named '" + args.get(2) + "' that is not revoked already ('token list' shows them)");
                        return 1;
                    }
                    err.println("Token '" + args.get(2) + "' revoked: its requests are refused from now on");
                    return 0;
                }
                case "list" -> {
                    for (Tokens.Listed token : tokens.list()) {
                        out.println(token.name() + "\t" + token.scope() + "\tmade " + token.createdAt()
                                + (token.revokedAt() == null ? "" : "\trevoked " + token.revokedAt()));
                    }
                    return 0;
                }
                default -> {
                    return usage(err);
                }
            }
        } catch (IllegalArgumentException | ApiException e) {
            err.println("Refused: " + e.getMessage());
            return 1;
        }
    }

    private static int usage(PrintStream err) {
        err.println("usage: java -jar backend-registry.jar token create NAME [--scope read|write]");
        err.println("       java -jar backend-registry.jar token revoke NAME");
        err.println("       java -jar backend-registry.jar token list");
        err.println("       java -jar backend-registry.jar import registry.json");
        return 2;
    }

    /**
     * The sample registry's file ({@code {"deployments": {id: …}, "connections": {id: …}}}), in one
     * transaction: every deployment, then each deployment's connections together, each checked
     * like a request. Connections get new ids. Anything refused writes nothing.
     */
    private static int importFile(ConfigurableApplicationContext context, Path file, PrintStream out) {
        ObjectMapper json = context.getBean(ObjectMapper.class);
        JsonNode root;
        try {
            root = json.readTree(Files.readAllBytes(file));
        } catch (java.io.IOException | tools.jackson.core.JacksonException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
        }
        if (root == null || !root.isObject() || !root.path("deployments").isObject()) {
            throw new IllegalArgumentException(file + " is not a sample registry file: it has no \"deployments\" object");
        }
        List<Deployment> deployments = new ArrayList<>();
        for (Map.Entry<String, JsonNode> entry : root.path("deployments").properties()) {
            try {
                deployments.add(DeploymentsController.read(entry.getValue(), null));
            } catch (ApiException e) {
                throw new IllegalArgumentException(file + ": deployments." + entry.getKey() + "." + e.getMessage());
            }
        }
        Map<Long, List<ServiceBackend>> byCaller = new TreeMap<>();
        for (Map.Entry<String, JsonNode> entry : root.path("connections").properties()) {
            JsonNode body = entry.getValue();
            if (body instanceof ObjectNode object) {
                ObjectNode copy = object.deepCopy();
                copy.remove("id");      // the registry numbers connections itself
                body = copy;
            }
            try {
                ServiceBackend read = ConnectionBody.read(body, null);
                byCaller.computeIfAbsent(read.serviceDeploymentId(), id -> new ArrayList<>()).add(read);
            } catch (ApiException e) {
                throw new IllegalArgumentException(file + ": connections." + entry.getKey() + "." + e.getMessage());
            }
        }
        Registry registry = context.getBean(Registry.class);
        new TransactionTemplate(context.getBean(PlatformTransactionManager.class)).executeWithoutResult(status -> {
            for (Deployment deployment : deployments) {
                try {
                    registry.create(deployment);
                } catch (ApiException e) {
                    throw new IllegalArgumentException(file + ": deployment " + deployment.id() + ": " + e.getMessage());
                }
            }
            for (Map.Entry<Long, List<ServiceBackend>> calls : byCaller.entrySet()) {
                try {
                    registry.addAll(calls.getValue());
                } catch (ApiException e) {
                    throw new IllegalArgumentException(file + ": the connections of deployment " + calls.getKey() + ": "
                            + e.getMessage() + " " + e.details());
                }
            }
        });
        int connections = byCaller.values().stream().mapToInt(List::size).sum();
        out.println("Imported " + deployments.size() + " deployments and " + connections + " connections from " + file);
        return 0;
    }

}
