package dev.backendrouter.cli;

import dev.backendrouter.api.BackendGroup;
import dev.backendrouter.api.BackendMember;
import dev.backendrouter.api.BackendRole;
import dev.backendrouter.api.Problem;
import dev.backendrouter.api.Topology;
import dev.backendrouter.api.TopologyException;
import dev.backendrouter.router.TopologyFileSource;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code validate FILE}: loads the topology as a router would, without a router or any I/O but reading the files. */
final class ValidateCommand {
    static final String USAGE = """
            Usage: backend-router-cli validate FILE [--stage S] [--env NAME=VALUE]... [--json]

            Loads FILE as a router would (the stage's overlay merged, placeholders
            resolved, every rule checked, the members' tls files read) without
            starting a router or using the network, and prints every problem with
            its path, or a summary.

            Options:
              --json              print one JSON object: file, stage, source, valid,
                                  problems [{path, message}], and when valid service,
                                  version and groups
            """ + Options.COMMON_HELP + """

            Exit codes: 0 valid, 1 invalid or unreadable, 2 usage error.
            """;

    static final Set<String> VALUED = Set.of(Options.STAGE, Options.ENV);
    static final Set<String> SWITCHES = Set.of(Options.JSON);

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private ValidateCommand() {
    }

    static int run(Args args, PrintStream out, Style style) throws UsageException {
        String file = args.positionals("FILE").get(0);
        String stage = args.value(Options.STAGE);
        TopologyFileSource source = Topologies.file(file, stage, args.environment());
        Topology topology = null;
        TopologyException invalid = null;
        try {
            topology = source.load();
            Topologies.tls(topology, Topologies.describe(file, source));
        } catch (TopologyException e) {
            topology = null;
            invalid = e;
        }
        String read = invalid != null ? invalid.source() : Topologies.describe(file, source);
        if (args.has(Options.JSON)) {
            out.println(json(file, stage, read, topology, invalid));
        } else if (invalid != null) {
            Topologies.printProblems(out, style, invalid);
        } else {
            summary(out, style, read, topology);
        }
        return invalid == null ? Cli.OK : Cli.INVALID_TOPOLOGY;
    }

    private static void summary(PrintStream out, Style style, String read, Topology topology) {
        int members = topology.groups().stream().mapToInt(g -> g.members().size()).sum();
        out.println(read + ": " + style.green(style.bold("valid")));
        out.println("service " + topology.service()
                + (topology.stage() == null ? "" : ", stage " + topology.stage())
                + (topology.version() == null ? "" : ", version " + topology.version())
                + ": " + plural(topology.groups().size(), "group") + ", " + plural(members, "member"));
        Table table = new Table("GROUP", "MEMBERS", "ROLES");
        for (BackendGroup group : topology.groups()) {
            List<String> roles = new ArrayList<>();
            roles(group).forEach((role, count) -> roles.add(count + " " + role));
            table.row(group.name(), Integer.toString(group.members().size()),
                    String.join(", ", roles) + (group.isSharded() ? " (sharded)" : ""));
        }
        table.print(out, style, "  ");
    }

    private static Map<BackendRole, Integer> roles(BackendGroup group) {
        Map<BackendRole, Integer> roles = new EnumMap<>(BackendRole.class);
        for (BackendMember member : group.members()) {
            roles.merge(member.role(), 1, Integer::sum);
        }
        return roles;
    }

    private static String json(String file, String stage, String read, Topology topology, TopologyException invalid) {
        ObjectNode root = JSON.createObjectNode();
        root.put("file", file);
        root.put("stage", stage);
        root.put("source", read);
        root.put("valid", invalid == null);
        ArrayNode problems = root.putArray("problems");
        for (Problem problem : invalid == null ? List.<Problem>of() : invalid.problems()) {
            problems.addObject().put("path", problem.path()).put("message", problem.message());
        }
        if (topology != null) {
            root.put("service", topology.service());
            root.put("version", topology.version());
            ArrayNode groups = root.putArray("groups");
            for (BackendGroup group : topology.groups()) {
                ObjectNode node = groups.addObject().put("name", group.name()).put("sharded", group.isSharded())
                        .put("members", group.members().size());
                ObjectNode roles = node.putObject("roles");
                roles(group).forEach((role, count) -> roles.put(role.name(), count));
            }
        }
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    }

    private static String plural(int count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }
}
