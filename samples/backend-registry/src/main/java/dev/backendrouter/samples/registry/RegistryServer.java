package dev.backendrouter.samples.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.backendrouter.api.registry.Deployment;
import dev.backendrouter.api.registry.ServiceBackend;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * A small Backend Connections registry (docs/registry-api.md): the six endpoints of the API, plus
 * {@code PUT/GET /api/deployments/{id}} to register the deployments themselves (the API assumes
 * they exist). Loopback by default; data in {@code registry.json} under the data directory.
 *
 * <pre>
 * mvn -q -pl samples/backend-registry exec:java -Dexec.args="8090 ./registry-data"
 * </pre>
 */
public final class RegistryServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryServer.class);
    private static final Pattern DEPLOYMENT = Pattern.compile("/api/backends/deployment/(\\d+)");
    private static final Pattern DETAILS = Pattern.compile("/api/backends/deployment/(\\d+)/details");
    private static final Pattern CONSUMERS = Pattern.compile("/api/backends/consumers/(\\d+)");
    private static final Pattern CONNECTION = Pattern.compile("/api/backends/(\\d+)");
    private static final Pattern DEPLOYMENT_RECORD = Pattern.compile("/api/deployments/(\\d+)");

    private final ObjectMapper json = JsonMapper.builder().build();
    private final RegistryStore store;
    private final ConnectionValidator validator;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);

    /** Starts a registry on {@code 127.0.0.1:port} (0 for any free port) keeping its data under {@code directory}. */
    public RegistryServer(int port, Path directory) throws IOException {
        this.store = new RegistryStore(directory, json);
        this.validator = new ConnectionValidator(store);
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.setExecutor(executor);
        server.createContext("/api/", this::handle);
        server.start();
    }

    public static void main(String[] args) throws IOException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8090;
        Path directory = Path.of(args.length > 1 ? args[1] : "registry-data");
        RegistryServer server = new RegistryServer(port, directory);
        LOG.info("Backend Connections registry on {} with its data in {}", server.url(), directory.toAbsolutePath());
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    }

    /** The base URL, such as {@code http://127.0.0.1:8090}. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            Matcher m;
            if (method.equals("GET") && (m = DETAILS.matcher(path)).matches()) {
                details(exchange, Long.parseLong(m.group(1)));
            } else if (method.equals("GET") && (m = DEPLOYMENT.matcher(path)).matches()) {
                long id = Long.parseLong(m.group(1));
                requireDeployment(exchange, id, () -> send(exchange, 200, store.connectionsOf(id)));
            } else if (method.equals("GET") && (m = CONSUMERS.matcher(path)).matches()) {
                long id = Long.parseLong(m.group(1));
                requireDeployment(exchange, id, () -> send(exchange, 200, store.consumersOf(id)));
            } else if (method.equals("POST") && path.equals("/api/backends")) {
                ServiceBackend connection = validator.read(exchange, json, null);
                if (connection != null) {
                    ServiceBackend stored = store.add(connection);
                    if (stored == null) {
                        Errors.send(exchange, json, 409, "CONFLICT", "deployment " + connection.serviceDeploymentId()
                                + " already uses " + connection.backendDeploymentId(), "backendDeploymentId");
                        return;
                    }
                    exchange.getResponseHeaders().set("Location", "/api/backends/" + stored.id());
                    send(exchange, 201, stored);
                }
            } else if (method.equals("PUT") && (m = CONNECTION.matcher(path)).matches()) {
                long id = Long.parseLong(m.group(1));
                if (store.connection(id).isEmpty()) {
                    Errors.send(exchange, json, 404, "NOT_FOUND", "no backend connection " + id, "id");
                    return;
                }
                ServiceBackend connection = validator.read(exchange, json, id);
                if (connection != null) {
                    ServiceBackend stored = store.replace(id, connection);
                    if (stored == null) {
                        Errors.send(exchange, json, 409, "CONFLICT", "deployment " + connection.serviceDeploymentId()
                                + " already uses " + connection.backendDeploymentId(), "backendDeploymentId");
                        return;
                    }
                    send(exchange, 200, stored);
                }
            } else if (method.equals("DELETE") && (m = CONNECTION.matcher(path)).matches()) {
                long id = Long.parseLong(m.group(1));
                if (store.remove(id)) {
                    exchange.sendResponseHeaders(204, -1);
                } else {
                    Errors.send(exchange, json, 404, "NOT_FOUND", "no backend connection " + id, "id");
                }
            } else if ((m = DEPLOYMENT_RECORD.matcher(path)).matches()) {
                deploymentRecord(exchange, method, Long.parseLong(m.group(1)));
            } else {
                Errors.send(exchange, json, 404, "NOT_FOUND", "no such endpoint: " + method + " " + path, null);
            }
        } catch (NumberFormatException | tools.jackson.core.JacksonException e) {
            Errors.send(exchange, json, 400, "VALIDATION_FAILED", "the request cannot be read: " + e.getMessage(), "body");
        } catch (RuntimeException e) {
            LOG.warn("Request failed", e);
            Errors.send(exchange, json, 500, "INTERNAL", "the registry failed: " + e.getMessage(), null);
        } finally {
            exchange.close();
        }
    }

    private void details(HttpExchange exchange, long id) throws IOException {
        var deployment = store.deployment(id);
        if (deployment.isEmpty()) {
            Errors.send(exchange, json, 404, "NOT_FOUND", "no deployment " + id, "id");
            return;
        }
        byte[] body = json.writeValueAsBytes(store.details(deployment.get()));
        String etag = "\"" + sha256(body) + "\"";
        exchange.getResponseHeaders().set("ETag", etag);
        if (etag.equals(exchange.getRequestHeaders().getFirst("If-None-Match"))) {
            exchange.sendResponseHeaders(304, -1);
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
    }

    private void deploymentRecord(HttpExchange exchange, String method, long id) throws IOException {
        if (method.equals("GET")) {
            requireDeployment(exchange, id, () -> send(exchange, 200, store.deployment(id).orElseThrow()));
        } else if (method.equals("PUT")) {
            Deployment body = json.readValue(exchange.getRequestBody(), Deployment.class);
            String problem = DeploymentCheck.problem(body, id);
            if (problem != null) {
                Errors.send(exchange, json, 400, "VALIDATION_FAILED", problem, problem.substring(0, problem.indexOf(':')));
                return;
            }
            store.putDeployment(body);
            send(exchange, 200, body);
        } else {
            Errors.send(exchange, json, 405, "METHOD_NOT_ALLOWED", method + " is not allowed here", null);
        }
    }

    private interface Reply {
        void send() throws IOException;
    }

    private void requireDeployment(HttpExchange exchange, long id, Reply reply) throws IOException {
        if (store.deployment(id).isEmpty()) {
            Errors.send(exchange, json, 404, "NOT_FOUND", "no deployment " + id, "id");
        } else {
            reply.send();
        }
    }

    private void send(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
