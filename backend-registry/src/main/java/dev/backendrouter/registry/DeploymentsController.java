package dev.backendrouter.registry;

import dev.backendrouter.api.internal.Texts;
import dev.backendrouter.api.registry.Deployment;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Set;
import org.springframework.http.HttpHeaders;
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
import tools.jackson.databind.JsonNode;

/** Deployments: listed by service and stage a page at a time, created, read, replaced, deleted. */
@RestController
@RequestMapping("/api/deployments")
class DeploymentsController {
    private static final Set<String> FIELDS = Set.of("id", "serviceName", "name", "url", "host", "port", "status", "stage");
    private final Registry registry;

    DeploymentsController(Registry registry) {
        this.registry = registry;
    }

    @GetMapping
    List<Deployment> list(@RequestParam(required = false) String name, @RequestParam(required = false) String serviceName,
            @RequestParam(required = false) String stage, @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "100") int size) {
        if (name != null && name.length() > 253) {
            throw ApiException.invalid("name", "longer than 253 characters");
        }
        if (page < 0 || page > 1_000_000) {
            throw ApiException.invalid("page", "must be within 0-1000000");
        }
        if (size < 1 || size > 1000) {
            throw ApiException.invalid("size", "must be within 1-1000");
        }
        return registry.deployments(blankToNull(name), blankToNull(serviceName), blankToNull(stage), page * size, size);
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }

    @PostMapping
    ResponseEntity<Deployment> create(@RequestBody JsonNode body) {
        Store.Versioned<Deployment> created = registry.create(read(body, null));
        long id = created.value().id();
        return ResponseEntity.created(URI.create("/api/deployments/" + id)).eTag(Etags.of("d", id, created.version()))
                .body(created.value());
    }

    @GetMapping("/{id}")
    ResponseEntity<Deployment> get(@PathVariable long id) {
        Store.Versioned<Deployment> found = registry.deployment(id);
        return ResponseEntity.ok().eTag(Etags.of("d", id, found.version())).body(found.value());
    }

    @PutMapping("/{id}")
    ResponseEntity<Deployment> replace(@PathVariable long id, @RequestBody JsonNode body,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        Store.Versioned<Deployment> replaced = registry.replace(read(body, id), ifMatch);
        return ResponseEntity.ok().eTag(Etags.of("d", id, replaced.version())).body(replaced.value());
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable long id, @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        registry.remove(id, ifMatch);
        return ResponseEntity.noContent().build();
    }

    /** The body as a deployment, each field checked: the router refuses a topology without a reachable base URL. */
    static Deployment read(JsonNode body, Long pathId) {
        if (body == null || !body.isObject()) {
            throw ApiException.invalid("body", "must be a JSON object (a Deployment)");
        }
        for (String name : body.propertyNames()) {
            if (!FIELDS.contains(name)) {
                throw ApiException.invalid(Texts.printable(name, 100), "unknown field; a deployment has " + FIELDS);
            }
        }
        JsonNode idNode = body.get("id");
        long id;
        if (idNode == null || idNode.isNull()) {
            if (pathId == null) {
                throw ApiException.invalid("id", "required, a whole number of 1 or more");
            }
            id = pathId;
        } else if (!idNode.isIntegralNumber() || !idNode.canConvertToLong() || idNode.longValue() < 1) {
            throw ApiException.invalid("id", "must be a whole number of 1 or more");
        } else {
            id = idNode.longValue();
        }
        if (pathId != null && id != pathId) {
            throw ApiException.invalid("id", "the body's id " + id + " is not " + pathId);
        }
        Integer port = null;
        if (body.hasNonNull("port")) {
            JsonNode value = body.get("port");
            if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < 1 || value.intValue() > 65535) {
                throw ApiException.invalid("port", "must be a port number within 1-65535");
            }
            port = value.intValue();
        }
        Deployment deployment = new Deployment(id, text(body, "serviceName"), text(body, "name"), text(body, "url"),
                text(body, "host"), port, text(body, "status"), text(body, "stage"));
        if (deployment.name() == null && deployment.serviceName() == null) {
            throw ApiException.invalid("name", "required (or serviceName)");
        }
        if (deployment.url() != null) {
            try {
                URI url = new URI(deployment.url());
                if (url.getScheme() == null || url.getHost() == null) {
                    throw ApiException.invalid("url", "must be an absolute URL with a host, e.g. http://10.0.4.17:4001");
                }
            } catch (URISyntaxException e) {
                throw ApiException.invalid("url", "malformed: " + Texts.printable(e.getReason(), 200));
            }
        } else if (deployment.host() == null || deployment.host().isBlank() || deployment.port() == null) {
            throw ApiException.invalid("host", "give a url, or a host and a port");
        }
        return deployment;
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            throw ApiException.invalid(field, "must be a string");
        }
        int limit = field.equals("url") ? 2048 : field.equals("status") || field.equals("stage") ? 64 : 253;
        if (value.asString().length() > limit) {
            throw ApiException.invalid(field, "longer than " + limit + " characters");
        }
        return value.asString();
    }
}
