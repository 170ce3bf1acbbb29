package dev.backendrouter.registry;

import dev.backendrouter.api.registry.Deployment;
import dev.backendrouter.api.registry.ServiceBackend;
import java.net.URI;
import java.util.List;
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
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** REFERENCE R1's six endpoints, in the shapes of docs/registry-api.md. */
@RestController
@RequestMapping("/api/backends")
class BackendsController {
    private final Registry registry;
    private final ObjectMapper json;

    BackendsController(Registry registry, ObjectMapper json) {
        this.registry = registry;
        this.json = json;
    }

    @GetMapping("/deployment/{id}")
    List<ServiceBackend> backends(@PathVariable long id) {
        return registry.backendsOf(id);
    }

    @GetMapping("/consumers/{id}")
    List<Deployment> consumers(@PathVariable long id) {
        return registry.consumersOf(id);
    }

    /** The router's endpoint: the same answer has the same ETag on every instance, and a matching If-None-Match gets 304. */
    @GetMapping("/deployment/{id}/details")
    ResponseEntity<byte[]> details(@PathVariable long id, @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch) {
        byte[] body = json.writeValueAsBytes(registry.details(id));
        String etag = Etags.ofBody(body);
        if (Etags.matches(ifNoneMatch, etag)) {
            return ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(etag).build();
        }
        return ResponseEntity.ok().eTag(etag).contentType(MediaType.APPLICATION_JSON).body(body);
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
