package dev.backendrouter.registry;

import dev.backendrouter.api.registry.Deployment;
import dev.backendrouter.api.registry.ServiceBackend;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** REFERENCE R1's six endpoints, in the shapes of docs/registry-api.md. */
@RestController
@RequestMapping("/api/backends")
class BackendsController {
    /** Tells a router that this registry answers {@code ?wait=}, and for how long at most. */
    static final String WAIT_HEADER = "X-Backend-Registry-Wait";
    private final Registry registry;
    private final ObjectMapper json;
    private final Watches watches;
    private final Duration maxWait;

    BackendsController(Registry registry, ObjectMapper json, Watches watches,
            @Value("${registry.watch.max-wait:60s}") Duration maxWait) {
        this.registry = registry;
        this.json = json;
        this.watches = watches;
        this.maxWait = maxWait;
        watches.answeredBy(this::answer);
    }

    @GetMapping("/deployment/{id}")
    List<ServiceBackend> backends(@PathVariable long id) {
        return registry.backendsOf(id);
    }

    @GetMapping("/consumers/{id}")
    List<Deployment> consumers(@PathVariable long id) {
        return registry.consumersOf(id);
    }

    /**
     * The router's endpoint: the same answer has the same ETag on every instance, and a matching
     * If-None-Match gets 304 — at once, or with {@code ?wait=30s} as soon as the topology changes
     * and 304 when the wait ends. A waiting request holds no thread.
     */
    @GetMapping("/deployment/{id}/details")
    Object details(@PathVariable long id, @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch,
            @RequestParam(required = false) String wait) {
        Duration waiting = wait == null ? Duration.ZERO : waitOf(wait);
        long generation = watches.generation(id);
        Watches.Answer now = answer(id);
        if (!Etags.matches(ifNoneMatch, now.etag())) {
            return now.response();
        }
        ResponseEntity<?> unchanged = ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(now.etag())
                .header(WAIT_HEADER, maxWait.toSeconds() + "s").build();
        if (waiting.isZero()) {
            return unchanged;
        }
        DeferredResult<ResponseEntity<?>> result = new DeferredResult<>(waiting.toMillis(), () -> unchanged);
        watches.await(new Watches.Waiter(id, now.etag(), result, unchanged), generation);
        return result;
    }

    /** The topology routers of this deployment build from its details, or the problems that make them keep the one they have. */
    @GetMapping("/deployment/{id}/topology")
    java.util.Map<String, Object> topology(@PathVariable long id) {
        return TopologyView.of(registry.details(id));
    }

    /** The deployment's details as a router reads them, with their tag. */
    private Watches.Answer answer(long id) {
        byte[] body = json.writeValueAsBytes(registry.details(id));
        String etag = Etags.ofBody(body);
        return new Watches.Answer(etag, ResponseEntity.ok().eTag(etag).header(WAIT_HEADER, maxWait.toSeconds() + "s")
                .contentType(MediaType.APPLICATION_JSON).body(body));
    }

    /** {@code 30s}, {@code 500ms}, {@code 2m} or seconds alone; longer than the registry's longest wait is cut to it. */
    private Duration waitOf(String text) {
        java.util.regex.Matcher match = java.util.regex.Pattern.compile("(\\d{1,7})(ms|s|m)?").matcher(text.strip());
        if (!match.matches()) {
            throw ApiException.invalid("wait", "a duration such as 30s, 500ms or 2m, not '"
                    + dev.backendrouter.api.internal.Texts.printable(text, 40) + "'");
        }
        long amount = Long.parseLong(match.group(1));
        String unit = match.group(2) == null ? "s" : match.group(2);
        Duration asked = unit.equals("ms") ? Duration.ofMillis(amount) : unit.equals("m") ? Duration.ofMinutes(amount) : Duration.ofSeconds(amount);
        return asked.compareTo(maxWait) > 0 ? maxWait : asked;
    }

    /** A list adds several connections of one deployment at once, all or none (a sharded group needs all its shards). */
    @PostMapping
    ResponseEntity<?> add(@RequestBody JsonNode body) {
        if (body != null && body.isArray()) {
            List<ServiceBackend> connections = new java.util.ArrayList<>();
            for (int i = 0; i < body.size(); i++) {
                if (body.get(i).hasNonNull("id")) {
                    throw ApiException.invalid("[" + i + "].id", "set by the registry: leave it out of a POST");
                }
                connections.add(ConnectionBody.read(body.get(i), null, "[" + i + "]."));
            }
            if (connections.size() > 1000) {
                throw ApiException.invalid("body", "at most 1000 connections at once");
            }
            List<ServiceBackend> added = registry.addAll(connections).stream().map(Store.Versioned::value).toList();
            return ResponseEntity.status(HttpStatus.CREATED).body(added);
        }
        if (body != null && body.hasNonNull("id")) {
            throw ApiException.invalid("id", "set by the registry: leave it out of a POST");
        }
        Store.Versioned<ServiceBackend> added = registry.add(ConnectionBody.read(body, null));
        long id = added.value().id();
        return ResponseEntity.created(URI.create("/api/backends/" + id)).eTag(Etags.of("c", id, added.version())).body(added.value());
    }

    @GetMapping("/{id}")
    ResponseEntity<ServiceBackend> connection(@PathVariable long id) {
        Store.Versioned<ServiceBackend> found = registry.connection(id);
        return ResponseEntity.ok().eTag(Etags.of("c", id, found.version())).body(found.value());
    }

    @PutMapping("/{id}")
    ResponseEntity<ServiceBackend> update(@PathVariable long id, @RequestBody JsonNode body,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        Store.Versioned<ServiceBackend> updated = registry.update(id, ConnectionBody.read(body, id), ifMatch);
        return ResponseEntity.ok().eTag(Etags.of("c", id, updated.version())).body(updated.value());
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable long id, @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        registry.delete(id, ifMatch);
        return ResponseEntity.noContent().build();
    }
}
