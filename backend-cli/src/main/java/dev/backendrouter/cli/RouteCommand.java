package dev.backendrouter.cli;

import dev.backendrouter.api.BackendGroup;
import dev.backendrouter.api.BackendMember;
import dev.backendrouter.api.BackendRouterException;
import dev.backendrouter.api.MissingRoutingKeyException;
import dev.backendrouter.api.RoutingKey;
import dev.backendrouter.api.TopologyException;
import dev.backendrouter.router.BackendRouter;
import dev.backendrouter.router.BackendRouterBuilder;
import dev.backendrouter.router.BackendRoutingIOException;
import dev.backendrouter.router.HealthCheckSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** {@code route FILE GROUP PATH}: one call through a real router, with every attempt it made. */
final class RouteCommand {
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    static final String USAGE = """
            Usage: backend-router-cli route FILE GROUP PATH [--key K] [--method M] [--stage S]
                                            [--env NAME=VALUE]... [--timeout T]

            Sends one call to http://GROUP/PATH through a BackendRouter built from FILE
            and prints the member that answered, its HTTP status, every attempt (member,
            outcome, time, why the router moved on) and the total time. Health checks are
            off, so the call itself shows how the router fails over. The request carries a
            new X-Request-Id, printed, to find the call in the backends' logs. The response
            body is not printed.

            Options:
              --key K             routing key (needed by sharded groups), sent as the
                                  request's RoutingKey tag
              --method M          GET (default), HEAD, OPTIONS, PUT, DELETE, POST, PATCH;
                                  PUT, POST and PATCH send an empty body
              --timeout T         deadline of the whole call, every attempt included
                                  (default %s)
            """.formatted(Durations.text(DEFAULT_TIMEOUT)) + Options.COMMON_HELP + """

            Exit codes: 0 answered with a status below 400, 1 invalid or unreadable
            topology, 2 usage error (including an unknown group), 3 no member could
            answer (the router's message says why), 4 answered with a status of 400 or more.
            """;

    static final Set<String> VALUED = Set.of(Options.STAGE, Options.ENV, Options.KEY, Options.METHOD, Options.TIMEOUT);
    static final Set<String> SWITCHES = Set.of();

    private static final Set<String> METHODS = Set.of("GET", "HEAD", "OPTIONS", "PUT", "DELETE", "POST", "PATCH");
    private static final Set<String> WITH_BODY = Set.of("PUT", "POST", "PATCH");

    private RouteCommand() {
    }

    static int run(Args args, PrintStream out, PrintStream err, Style style) throws UsageException {
        List<String> positionals = args.positionals("FILE", "GROUP", "PATH");
        String group = positionals.get(1);
        String method = args.value(Options.METHOD) == null ? "GET" : args.value(Options.METHOD).toUpperCase(Locale.ROOT);
        if (!METHODS.contains(method)) {
            throw new UsageException("route", "unknown method '" + method + "': use one of GET, HEAD, OPTIONS, PUT, DELETE, POST, PATCH");
        }
        String path = positionals.get(2).startsWith("/") ? positionals.get(2).substring(1) : positionals.get(2);
        HttpUrl url = HttpUrl.parse("http://" + group + "/" + path);
        if (url == null || !url.host().equals(group)) {
            throw new UsageException("route", "'" + group + "' and '" + positionals.get(2) + "' do not make a URL http://GROUP/PATH");
        }
        RoutingKey key = routingKey(args.value(Options.KEY));
        Duration timeout = args.duration(Options.TIMEOUT, DEFAULT_TIMEOUT);

        AttemptLog log = new AttemptLog();
        // the router's own deadline ends the call first; this is only a backstop
        OkHttpClient base = new OkHttpClient.Builder().callTimeout(timeout.plusSeconds(1)).build();
        try {
            BackendRouterBuilder builder = BackendRouter.builder()
                    .topology(Topologies.file(positionals.get(0), args.environment()))
                    .httpClient(base)
                    .healthChecks(HealthCheckSettings.disabled())
                    .deadline(timeout)
                    .listener(log);
            if (args.value(Options.STAGE) != null) {
                builder.stage(args.value(Options.STAGE));
            }
            try (BackendRouter router = builder.build()) {
                BackendGroup target = router.topology().group(group).orElseThrow(() -> new UsageException("route",
                        "the topology has no group '" + group + "'; its groups: " + router.topology().groups().stream()
                                .map(BackendGroup::name).collect(Collectors.joining(", "))));
                // ours rather than the router's, so that it can be shown even when the call fails
                String requestId = UUID.randomUUID().toString();
                Request request = new Request.Builder()
                        .url(url)
                        .header("X-Request-Id", requestId)
                        .method(method, WITH_BODY.contains(method) ? RequestBody.create(new byte[0]) : null)
                        .tag(RoutingKey.class, key)
                        .build();
                out.println(style.bold(method + " " + url) + (key == null ? "" : "  (routing key " + key.value() + ")"));
                out.println("  request id   " + requestId);
                return call(router.httpClient(), request, target, log, out, err, style);
            }
        } catch (TopologyException e) {
            Topologies.printProblems(err, new Style(false), e);   // stderr may be a file while stdout is a terminal
            return Cli.INVALID_TOPOLOGY;
        } finally {
            base.dispatcher().executorService().shutdown();
            base.connectionPool().evictAll();
        }
    }

    private static RoutingKey routingKey(String key) throws UsageException {
        try {
            return key == null ? null : RoutingKey.of(key);
        } catch (IllegalArgumentException e) {
            throw new UsageException("route", Options.KEY + ": " + e.getMessage());
        }
    }

    private static int call(OkHttpClient http, Request request, BackendGroup group, AttemptLog log, PrintStream out,
            PrintStream err, Style style) {
        long start = System.nanoTime();
        try (Response response = http.newCall(request).execute()) {
            long millis = (System.nanoTime() - start) / 1_000_000;
            int code = response.code();
            BackendMember member = answeredBy(response.request().url(), log.entries(), group);
            String who = member != null ? member.name() + " (" + member.url() + ") " + member.role()
                    : log.cache() != null ? "the group's cache" : response.request().url().toString();
            UnaryOperator<String> colour = code < 400 ? style::green : style::red;
            out.println("  answered by  " + style.bold(who));
            out.println("  status       " + colour.apply(code + (response.message().isBlank() ? "" : " " + response.message())));
            if (log.cache() != null) {
                out.println("  cache        " + log.cache());
            }
            out.println("  total        " + millis + " ms");
            attempts(out, style, log.entries());
            return code < 400 ? Cli.OK : Cli.HTTP_ERROR;
        } catch (BackendRoutingIOException e) {
            return failed(e.routerException(), start, log, out, err, style);
        } catch (BackendRouterException e) {
            return failed(e, start, log, out, err, style);
        } catch (IOException e) {
            out.println("  " + style.red("failed") + " after " + (System.nanoTime() - start) / 1_000_000 + " ms");
            attempts(out, style, log.entries());
            err.println("The call failed: " + e);
            return Cli.UNAVAILABLE;
        }
    }

    private static int failed(BackendRouterException e, long start, AttemptLog log, PrintStream out, PrintStream err,
            Style style) {
        out.println("  " + style.red("failed") + " after " + (System.nanoTime() - start) / 1_000_000 + " ms");
        attempts(out, style, log.entries());
        err.println(e.getMessage());
        if (e instanceof MissingRoutingKeyException) {
            err.println("Pass the key with " + Options.KEY + " K.");
        }
        return Cli.UNAVAILABLE;
    }

    /** The member whose URL the response came from: the last attempt on it, else any member of the group with it. */
    static BackendMember answeredBy(HttpUrl responded, List<AttemptLog.Entry> attempts, BackendGroup group) {
        for (int i = attempts.size() - 1; i >= 0; i--) {
            if (serves(attempts.get(i).member(), responded)) {
                return attempts.get(i).member();
            }
        }
        return group.members().stream().filter(m -> serves(m, responded)).findFirst().orElse(null);
    }

    private static boolean serves(BackendMember member, HttpUrl responded) {
        HttpUrl base = HttpUrl.parse(member.url().toString());
        return base != null && base.scheme().equals(responded.scheme()) && base.host().equals(responded.host())
                && base.port() == responded.port() && responded.encodedPath().startsWith(base.encodedPath().replaceAll("/$", ""));
    }

    private static void attempts(PrintStream out, Style style, List<AttemptLog.Entry> entries) {
        out.println("  attempts     " + entries.size());
        if (entries.isEmpty()) {
            return;
        }
        out.println();
        Table table = new Table("#", "MEMBER", "ROLE", "URL", "OUTCOME", "TIME", "REASON");
        int n = 0;
        for (AttemptLog.Entry entry : entries) {
            UnaryOperator<String> colour = switch (entry.outcome()) {
                case "success" -> style::green;
                case "not_found" -> style::yellow;
                default -> style::red;
            };
            table.row(Table.Cell.plain(Integer.toString(++n)), Table.Cell.plain(entry.member().name()),
                    Table.Cell.plain(entry.member().role().name()), Table.Cell.plain(entry.member().url().toString()),
                    new Table.Cell(entry.outcome(), colour), Table.Cell.plain(entry.duration().toMillis() + " ms"),
                    Table.Cell.plain(entry.reason() == null ? "" : entry.reason()));
        }
        table.print(out, style, "  ");
    }
}
