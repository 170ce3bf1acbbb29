package dev.backendrouter.router;

import dev.backendrouter.api.BackendAuth;
import dev.backendrouter.api.Problem;
import dev.backendrouter.api.Topology;
import dev.backendrouter.api.TopologyException;
import dev.backendrouter.api.internal.Texts;
import dev.backendrouter.api.registry.Deployment;
import dev.backendrouter.api.registry.DeploymentWithBackends;
import dev.backendrouter.router.internal.topology.HostAllowList;
import dev.backendrouter.router.internal.topology.RegistryJson;
import dev.backendrouter.router.internal.topology.TopologyParser;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A topology from the Backend Connections registry: {@code GET /api/backends/deployment/{id}/details},
 * mapped onto a topology (see {@link DeploymentWithBackends#toTopology()} and docs/registry-api.md).
 * Polled cheaply: each load sends the last {@code ETag} as {@code If-None-Match}, and a
 * {@code 304} keeps the topology it has.
 *
 * <pre>{@code
 * TopologySource registry = TopologySource.registry(URI.create("http://registry:8080"), 123)
 *     .withAuth(BackendAuth.apiKey("X-API-Key", System.getenv("REGISTRY_API_KEY")))
 *     .withLastKnownGood(Path.of("/var/lib/file-service/topology-last-good.json"));
 * BackendRouter router = BackendRouter.builder().topology(registry).reloadEvery(Duration.ofSeconds(15)).build();
 * }</pre>
 *
 * With a last-known-good file, every valid topology is written to it, and a start while the
 * registry is unreachable starts from it (with a warning) and keeps polling.
 *
 * <p>A registry that answers waiting requests says so in each answer's
 * {@code X-Backend-Registry-Wait} header (the longest wait it grants, {@code 60s}); the
 * {@code backend-registry} service does. A router reloading from such a registry then asks
 * {@code ?wait=30s} with {@code If-None-Match} and asks again as soon as the answer comes (at most
 * twice a second), so a change reaches it at once instead of at the next poll; without the header,
 * or after an error, it polls at its reload interval. Thread-safe.
 */
public final class RegistryTopologySource implements TopologySource {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryTopologySource.class);
    // no redirects: OkHttp would carry an X-API-Key header to another host
    private static final OkHttpClient DEFAULT_CLIENT = new OkHttpClient.Builder()
            .callTimeout(java.time.Duration.ofSeconds(10)).followRedirects(false).build();

    private final HttpUrl detailsUrl;
    private final long deploymentId;
    private final BackendAuth auth;
    private final OkHttpClient client;
    private final Path lastKnownGood;
    private final String stage;
    private final HostAllowList allowedHosts;
    /** How long a waiting request asks to wait at most, and how soon after one started the next may start. */
    static final java.time.Duration LONGEST_WAIT = java.time.Duration.ofSeconds(30);
    static final java.time.Duration WAIT_SPACING = java.time.Duration.ofMillis(500);
    static final String WAIT_HEADER = "X-Backend-Registry-Wait";
    private String etag;
    private Topology current;
    private volatile String fallback;
    private volatile java.time.Duration offeredWait;
    private volatile long lastStart = System.nanoTime();
    /** Set on the reloader's thread: only its loads wait; a load asked for by the application never does. */
    private static final ThreadLocal<Boolean> WAITER = ThreadLocal.withInitial(() -> false);
    private volatile okhttp3.Call inFlight;
    private volatile boolean inFlightWaits;
    private volatile boolean interrupted;
    private volatile boolean closing;
    private OkHttpClient waitingClient;

    private RegistryTopologySource(HttpUrl detailsUrl, long deploymentId, BackendAuth auth, OkHttpClient client, Path lastKnownGood,
            String stage, HostAllowList allowedHosts) {
        this.detailsUrl = detailsUrl;
        this.deploymentId = deploymentId;
        this.auth = auth;
        this.client = client;
        this.lastKnownGood = lastKnownGood;
        this.stage = stage;
        this.allowedHosts = allowedHosts;
    }

    static RegistryTopologySource of(URI baseUrl, long deploymentId) {
        Objects.requireNonNull(baseUrl, "baseUrl");
        HttpUrl base = HttpUrl.parse(baseUrl.toString());
        if (base == null) {
            throw new IllegalArgumentException("the registry URL must be http or https, was " + baseUrl);
        }
        HttpUrl details = base.newBuilder().addPathSegments("api/backends/deployment/" + deploymentId + "/details").build();
        return new RegistryTopologySource(details, deploymentId, BackendAuth.none(), DEFAULT_CLIENT, null, null, null);
    }

    /** Sends these credentials to the registry. */
    public RegistryTopologySource withAuth(BackendAuth auth) {
        return new RegistryTopologySource(detailsUrl, deploymentId, Objects.requireNonNull(auth, "auth"), client, lastKnownGood, stage, allowedHosts);
    }

    /** Uses this client (its pool, timeouts, TLS settings) for the registry. */
    public RegistryTopologySource withClient(OkHttpClient client) {
        return new RegistryTopologySource(detailsUrl, deploymentId, auth, Objects.requireNonNull(client, "client"), lastKnownGood, stage, allowedHosts);
    }

    /** Keeps every valid topology in this file, and starts from it when the registry cannot be reached. */
    public RegistryTopologySource withLastKnownGood(Path file) {
        return new RegistryTopologySource(detailsUrl, deploymentId, auth, client, Objects.requireNonNull(file, "file"), stage, allowedHosts);
    }

    /**
     * Calls only members at these hosts: names ({@code files.internal}), name suffixes
     * ({@code *.svc.cluster.local}), IP addresses or CIDR blocks ({@code 10.0.0.0/8}). A
     * topology with a member elsewhere is refused, with the member's path in the registry's
     * JSON, and the current topology keeps serving. Names are never resolved: a member
     * addressed by name must match a name entry.
     *
     * <pre>{@code
     * TopologySource.registry(URI.create("http://registry:8080"), 123)
     *     .withAllowedHosts("*.svc.cluster.local", "10.0.0.0/8");
     * }</pre>
     *
     * @throws IllegalArgumentException when an entry is none of those forms
     */
    public RegistryTopologySource withAllowedHosts(String... hosts) {
        HostAllowList allowed = HostAllowList.of(java.util.Arrays.asList(hosts));   // nulls reach its message
        return new RegistryTopologySource(detailsUrl, deploymentId, auth, client, lastKnownGood, stage, allowed);
    }

    /**
     * For one stage: the deployment's stage must be this one (or unset), and members labelled
     * for another stage are refused.
     */
    @Override
    public RegistryTopologySource forStage(String stage) {
        return new RegistryTopologySource(detailsUrl, deploymentId, auth, client, lastKnownGood, Objects.requireNonNull(stage, "stage"), allowedHosts);
    }

    /** Why the last load came from the last-known-good file, once; {@code null} when it did not. */
    String takeFallback() {
        String reason = fallback;
        fallback = null;
        return reason;
    }

    /** The registry's JSON as a topology for this router: only allowed hosts, only its stage; refused as from {@code source}. */
    private Topology parse(byte[] json, String source) {
        try {
            return parseDetails(json, source);
        } catch (TopologyException e) {
            throw e.source().equals(source) ? e : new TopologyException(source, e.problems());
        }
    }

    private Topology parseDetails(byte[] json, String source) {
        DeploymentWithBackends details = RegistryJson.details(json, source);
        if (allowedHosts == null) {
            return staged(details.toTopology());
        }
        List<Problem> problems = new ArrayList<>();
        for (int i = 0; i < details.backends().size(); i++) {
            Deployment target = details.backends().get(i).deployment();
            String url = target.baseUrl();
            URI parsed = url == null ? null : parsedOrNull(url);
            boolean checkable = parsed != null && parsed.getHost() != null
                    && ("http".equalsIgnoreCase(parsed.getScheme()) || "https".equalsIgnoreCase(parsed.getScheme()));
            if (checkable && !allowedHosts.allows(parsed)) {   // other URLs are refused by toTopology
                String path = "backends[" + i + "].deployment." + (target.url() != null && !target.url().isBlank() ? "url" : "host");
                problems.add(new Problem(path, "deployment " + target.id() + " (" + Texts.printable(target.memberName()) + ") is at host '"
                        + Texts.printable(parsed.getHost()) + "', which is not in the allowed hosts "
                        + allowedHosts.entries() + ": a registry may only send calls where withAllowedHosts allows"));
            }
        }
        if (problems.isEmpty()) {
            return staged(details.toTopology());
        }
        try {
            details.toTopology();
        } catch (TopologyException e) {
            problems.addAll(e.problems());
        }
        throw new TopologyException(source, problems);
    }

    private static URI parsedOrNull(String url) {
        try {
            return new URI(url);
        } catch (URISyntaxException e) {
            return null;    // toTopology reports it
        }
    }

    private Topology staged(Topology topology) {
        if (stage == null || stage.equals(topology.stage())) {
            return topology;
        }
        if (topology.stage() != null) {
            throw new TopologyException(described(), List.of(new Problem("deployment.stage", "the deployment is in stage '"
                    + topology.stage() + "' but this router serves stage '" + stage + "'")));
        }
        return topology.toBuilder().stage(stage).build();
    }

    @Override
    public synchronized Topology load() {
        java.time.Duration wait = WAITER.get() && etag != null && current != null && offeredWait != null ? offeredWait : null;
        interrupted = false;
        HttpUrl url = wait == null ? detailsUrl : detailsUrl.newBuilder().addQueryParameter("wait", wait.toSeconds() + "s").build();
        Request.Builder request = new Request.Builder().url(url).header("Accept", "application/json");
        if (auth.headerName() != null) {
            request.header(auth.headerName(), auth.headerValue().reveal());
        }
        if (etag != null && current != null) {
            request.header("If-None-Match", ifNoneMatch(etag));
        }
        byte[] body;
        String newEtag;
        lastStart = System.nanoTime();
        okhttp3.Call call = (wait == null ? client : waitingClient()).newCall(request.build());
        inFlightWaits = wait != null;
        inFlight = call;
        if (closing) {
            call.cancel();
        }
        try (Response response = call.execute()) {
            offeredWait = offered(response.header(WAIT_HEADER));
            if (response.code() == 304 && current != null) {
                return current;
            }
            if (!response.isSuccessful()) {
                return unreachable("it answered HTTP " + response.code()
                        + (response.code() == 404 ? " (is deployment " + deploymentId + " registered?)" : "")
                        + (response.code() == 401 || response.code() == 403 ? " (check the registry credentials)" : ""));
            }
            body = RegistryJson.readLimited(response.body().source());
            newEtag = response.header("ETag");
        } catch (IOException e) {
            offeredWait = null;
            if ((closing || interrupted) && current != null) {
                return current;     // the waiting request was cancelled: the router is closing, or the application reloads
            }
            return unreachable(e.toString());
        } finally {
            inFlight = null;
        }
        Topology topology = parse(body, described());
        if (newEtag != null) {
            topology = topology.toBuilder().version(version(newEtag)).build();
        }
        etag = newEtag;
        current = topology;
        keep(body);
        return topology;
    }

    /** The wait the registry grants ({@code 60s}), cut to {@link #LONGEST_WAIT}; {@code null} when it grants none. */
    private static java.time.Duration offered(String header) {
        if (header == null || !header.strip().matches("\\d{1,6}s")) {
            return null;
        }
        long seconds = Long.parseLong(header.strip().replace("s", ""));
        return seconds < 1 ? null : java.time.Duration.ofSeconds(Math.min(seconds, LONGEST_WAIT.toSeconds()));
    }

    /** The client for waiting requests: the registry client with time to wait (same pool and dispatcher). */
    private OkHttpClient waitingClient() {
        if (waitingClient == null) {
            java.time.Duration time = LONGEST_WAIT.plusSeconds(15);
            waitingClient = client.newBuilder().callTimeout(time).readTimeout(time).build();
        }
        return waitingClient;
    }

    /**
     * When the router should load again: at once (at most twice a second) while the registry
     * grants waiting requests, else after {@code every}.
     */
    java.time.Duration nextLoadIn(java.time.Duration every) {
        if (offeredWait == null || closing) {
            return every;
        }
        long since = System.nanoTime() - lastStart;
        return java.time.Duration.ofNanos(Math.max(0, WAIT_SPACING.toNanos() - since));
    }

    /** Runs {@code reload} as the router's reloader: its loads may wait. */
    void asWaiter(Runnable reload) {
        WAITER.set(true);
        try {
            reload.run();
        } finally {
            WAITER.set(false);
        }
    }

    /** The application reloads: the reloader's waiting request ends now (it keeps its topology), so that this load need not wait for it. */
    void interruptWaiting() {
        okhttp3.Call call = inFlight;
        if (!WAITER.get() && call != null && inFlightWaits) {
            interrupted = true;
            call.cancel();
        }
    }

    /** The router is closing: a waiting request ends now. */
    void cancelWaiting() {
        closing = true;
        okhttp3.Call call = inFlight;
        if (call != null) {
            call.cancel();
        }
    }

    /** A suffix that a compressing server or proxy adds to the ETag of the same answer: Jetty's --gzip, Apache's -gzip. */
    private static final java.util.regex.Pattern COMPRESSED = java.util.regex.Pattern.compile("(--?(gzip|br|deflate|zstd))+$");

    /**
     * The version an ETag stands for: without quotes, the weak marker, or a compression suffix, so
     * that {@code "v2"}, {@code W/"v2"}, {@code "v2--gzip"} and {@code "v2-gzip"} are one version.
     */
    static String version(String etag) {
        String tag = etag.strip();
        if (tag.startsWith("W/")) {
            tag = tag.substring(2);
        }
        tag = tag.replace("\"", "");
        return COMPRESSED.matcher(tag).replaceFirst("");
    }

    /** The tag as the server gave it and, when a compression suffix changed it, the version's own tag: either gets a 304. */
    private static String ifNoneMatch(String etag) {
        String plain = "\"" + version(etag) + "\"";
        String unweakened = etag.strip().startsWith("W/") ? etag.strip().substring(2) : etag.strip();
        return unweakened.equals(plain) ? etag : etag + ", " + plain;
    }

    /** The registry could not give a topology: keep the one held, else start from the last-known-good file, else fail. */
    private Topology unreachable(String why) {
        String where = described();
        if (current != null) {
            throw new TopologyException(where, List.of(new Problem("", "cannot read the topology: " + why
                    + "; the current topology keeps serving")));
        }
        if (lastKnownGood != null && Files.isRegularFile(lastKnownGood)) {
            try (java.io.InputStream in = Files.newInputStream(lastKnownGood)) {
                Topology topology = parse(in.readNBytes(TopologyParser.MAX_BYTES + 1), "last-known-good file " + lastKnownGood);
                LOG.warn("Cannot read the topology of deployment {} from the registry at {} ({}); starting from the "
                        + "last-known-good file {} and polling on", deploymentId, shown(), why, lastKnownGood);
                current = topology;
                fallback = "cannot read the topology " + where + " (" + why + "); started from " + lastKnownGood;
                return topology;
            } catch (IOException | TopologyException e) {
                why = why + "; the last-known-good file " + lastKnownGood + " cannot be used either: " + e.getMessage();
            }
        }
        throw new TopologyException(where, List.of(new Problem("", "cannot read the topology: " + why
                + (lastKnownGood == null ? "; no last-known-good file is configured (withLastKnownGood)"
                        : "; there is no last-known-good file at " + lastKnownGood + " yet")
                + (why.startsWith("it answered HTTP") ? "" : ". Is the registry running, and is its URL right?"))));
    }

    /** Writes the registry's answer to the last-known-good file, atomically; a failure is only logged. */
    private void keep(byte[] body) {
        if (lastKnownGood == null) {
            return;
        }
        Path temporary = null;
        try {
            Path parent = lastKnownGood.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            temporary = Files.createTempFile(parent, ".topology", ".tmp");
            try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(temporary,
                    java.nio.file.StandardOpenOption.WRITE)) {
                channel.write(java.nio.ByteBuffer.wrap(body));
                channel.force(true);
            }
            Files.move(temporary, lastKnownGood, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            temporary = null;
        } catch (IOException e) {
            LOG.warn("Cannot write the last-known-good topology to {}: {}", lastKnownGood, e.toString());
        } finally {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException e) {
                    // nothing more to do about a leftover temporary file
                }
            }
        }
    }

    /** The URL without credentials or query, for messages. */
    private String shown() {
        return detailsUrl.newBuilder().username("").password("").query(null).build().toString();
    }

    /** {@code of deployment 123 from the registry at http://...}: what a refused topology was, in messages and logs. */
    String described() {
        return "of deployment " + deploymentId + " from the registry at " + shown();
    }

    @Override
    public String toString() {
        return "registry " + shown() + " (deployment " + deploymentId + ")";
    }
}
