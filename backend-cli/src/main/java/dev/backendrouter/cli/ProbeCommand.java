package dev.backendrouter.cli;

import dev.backendrouter.api.BackendAuth;
import dev.backendrouter.api.BackendGroup;
import dev.backendrouter.api.BackendMember;
import dev.backendrouter.api.Topology;
import dev.backendrouter.api.TopologyException;
import dev.backendrouter.router.HealthCheckSettings;
import dev.backendrouter.router.internal.tls.TlsMaterial;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import okhttp3.OkHttpClient;

/** {@code probe FILE}: one health request to every backend, as the router's health checks send it. */
final class ProbeCommand {
    static final String USAGE = """
            Usage: backend-router-cli probe FILE [--stage S] [--env NAME=VALUE]... [--path P] [--timeout T]

            Sends GET {url}{path} once to every backend of the topology (a URL named
            in several groups is probed once), with the member's credentials as the
            router's health checks send them, and prints group, member, role, URL,
            status (the HTTP code, or DOWN when no answer came), latency and error.
            A member is up when it answers 2xx and its JSON body, if any, does not say
            "status": "unhealthy"; "degraded" is up, and shown. Redirects are not
            followed. Credentials are never printed.

            Options:
              --path P            health path under each member's URL
                                  (default: the router's, %s)
              --timeout T         time each probe may take: 500ms, 2s, PT2S
                                  (default: the router's, %s)
            """.formatted(HealthCheckSettings.defaults().path(), Durations.text(HealthCheckSettings.defaults().timeout()))
            + Options.COMMON_HELP + """

            Exit codes: 0 every member up, 1 invalid or unreadable topology,
            2 usage error, 3 at least one member down.
            """;

    static final Set<String> VALUED = Set.of(Options.STAGE, Options.ENV, Options.PATH, Options.TIMEOUT);
    static final Set<String> SWITCHES = Set.of();

    private ProbeCommand() {
    }

    static int run(Args args, PrintStream out, PrintStream err, Style style) throws UsageException {
        String file = args.positionals("FILE").get(0);
        HealthCheckSettings defaults = HealthCheckSettings.defaults();
        String path = args.value(Options.PATH) == null ? defaults.path() : args.value(Options.PATH);
        if (!path.startsWith("/")) {
            throw new UsageException("probe", Options.PATH + " must start with '/', was '" + path + "'");
        }
        Duration timeout = args.duration(Options.TIMEOUT, defaults.timeout());
        Topology topology;
        Map<URI, TlsMaterial> tls;
        try {
            topology = Topologies.file(file, args.value(Options.STAGE), args.environment()).load();
            tls = Topologies.tls(topology, file);
        } catch (TopologyException e) {
            Topologies.printProblems(err, new Style(false), e);   // stderr may be a file while stdout is a terminal
            return Cli.INVALID_TOPOLOGY;
        }

        OkHttpClient client = new OkHttpClient.Builder()
                .connectTimeout(timeout).readTimeout(timeout).writeTimeout(timeout).callTimeout(timeout)
                .followRedirects(false).followSslRedirects(false).retryOnConnectionFailure(false)
                .build();
        // one probe per URL and credential, as the router keeps one health state per backend
        Map<BackendMember, Discovered.Members> discovered = Discovered.of(topology);     // kubernetes: one row per endpoint
        Set<Backend> distinct = new LinkedHashSet<>();
        topology.groups().forEach(g -> g.members().forEach(m -> {
            for (BackendMember member : discovered.containsKey(m) ? discovered.get(m).members() : List.of(m)) {
                distinct.add(new Backend(member.url(), member.auth()));
            }
        }));
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(16, distinct.size())), runnable -> {
            Thread thread = new Thread(runnable, "backend-router-cli-probe");
            thread.setDaemon(true);
            return thread;
        });
        try {
            Map<Backend, CompletableFuture<Probe.Result>> probes = new LinkedHashMap<>();
            for (Backend backend : distinct) {
                probes.put(backend, CompletableFuture.supplyAsync(
                        () -> Probe.probe(tls.containsKey(backend.url()) ? tls.get(backend.url()).client(client) : client,
                                backend.url(), backend.auth(), path, timeout), pool));
            }
            return report(out, style, topology, discovered, probes, path);
        } finally {
            pool.shutdownNow();
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
        }
    }

    private static int report(PrintStream out, Style style, Topology topology, Map<BackendMember, Discovered.Members> discovered,
            Map<Backend, CompletableFuture<Probe.Result>> probes, String path) {
        Table table = new Table("GROUP", "MEMBER", "ROLE", "URL", "STATUS", "LATENCY", "ERROR");
        int members = 0;
        int down = 0;
        for (BackendGroup group : topology.groups()) {
            for (BackendMember entry : group.members()) {
                Discovered.Members found = discovered.get(entry);
                if (found != null && found.problem() != null) {
                    members++;
                    down++;
                    table.row(Table.Cell.plain(group.name()), Table.Cell.plain(entry.name()), Table.Cell.plain(entry.role().toString()),
                            Table.Cell.plain(entry.url().toString()), new Table.Cell("DOWN", style::red), Table.Cell.plain(""),
                            Table.Cell.plain(found.problem()));
                    continue;
                }
                for (BackendMember member : found == null ? List.of(entry) : found.members()) {
                Probe.Result result = probes.get(new Backend(member.url(), member.auth())).join();
                members++;
                if (!result.up()) {
                    down++;
                }
                table.row(Table.Cell.plain(group.name()), Table.Cell.plain(member.name()),
                        Table.Cell.plain(member.role() + (member.routingKey() == null ? "" : " " + member.routingKey())),
                        Table.Cell.plain(member.url().toString()),
                        new Table.Cell(result.statusText(), !result.up() ? style::red
                                : result.degraded() ? style::yellow : style::green),
                        Table.Cell.plain(result.millis() + " ms"),
                        Table.Cell.plain(result.error() == null ? "" : result.error()));
                }
            }
        }
        table.print(out, style, "");
        String verdict = down == 0 ? style.green("all up") : style.red(down + " down");
        out.println();
        out.println("GET " + path + " on " + probes.size() + (probes.size() == 1 ? " backend" : " backends") + " ("
                + members + (members == 1 ? " member" : " members") + "): " + verdict);
        return down == 0 ? Cli.OK : Cli.UNAVAILABLE;
    }

    /** A backend as probed: its URL and the credential sent to it. Never printed (the auth holds a secret). */
    private record Backend(URI url, BackendAuth auth) {
    }
}
