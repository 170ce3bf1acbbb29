package dev.backendrouter.samples.fileservice;

import dev.backendrouter.router.BackendRoutingIOException;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

/**
 * {@code GET/PUT/DELETE /files/{id}}, kept on the storage group: {@code http://storage/...} is
 * routed by Backend Router (cache first, the primary, the backup when the primary fails). The
 * storage's status is passed on (a missing file is a 404 here too); only the body and its type
 * are, not the storage's other headers.
 */
@RestController
public class FileController {
    private final RestClient storage;

    public FileController(RestClient.Builder builder) {
        this.storage = builder.baseUrl("http://storage").build();
    }

    @GetMapping(path = "/files/{id}", produces = MediaType.TEXT_PLAIN_VALUE)
    public ResponseEntity<String> read(@PathVariable String id) {
        return storage.get().uri("/files/{id}", id).exchange((request, response) -> ResponseEntity
                .status(response.getStatusCode())
                .contentType(MediaType.TEXT_PLAIN)
                .body(new String(response.getBody().readAllBytes(), StandardCharsets.UTF_8)));
    }

    @PutMapping(path = "/files/{id}", consumes = MediaType.TEXT_PLAIN_VALUE)
    public ResponseEntity<Void> write(@PathVariable String id, @RequestBody String content) {
        return storage.put().uri("/files/{id}", id).contentType(MediaType.TEXT_PLAIN).body(content)
                .exchange((request, response) -> statusOnly(response.getStatusCode()));
    }

    @DeleteMapping("/files/{id}")
    public ResponseEntity<Void> delete(@PathVariable String id) {
        return storage.delete().uri("/files/{id}", id).exchange((request, response) -> statusOnly(response.getStatusCode()));
    }

    /** Every storage backend failed or the deadline passed: the router's message says which and why. */
    @ExceptionHandler(ResourceAccessException.class)
    public ResponseEntity<String> storageUnavailable(ResourceAccessException e) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).contentType(MediaType.TEXT_PLAIN)
                .body("storage unavailable: " + routerMessage(e));
    }

    /** The router's own message (every member and what happened to it), else the deepest cause's. */
    private static String routerMessage(ResourceAccessException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof BackendRoutingIOException routing) {
                return routing.routerException().getMessage();
            }
        }
        return e.getMostSpecificCause().getMessage();
    }

    private static ResponseEntity<Void> statusOnly(org.springframework.http.HttpStatusCode status) {
        return ResponseEntity.status(status.is2xxSuccessful() ? HttpStatus.NO_CONTENT : status).build();
    }
}
