package dev.backendrouter.samples.fileservice;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

/**
 * {@code GET/PUT/DELETE /files/{id}}, kept on the storage group: {@code http://storage/...} is
 * routed by Backend Router (cache first, the primary, the backup when the primary fails).
 */
@RestController
public class FileController {
    private final RestClient storage;

    public FileController(RestClient.Builder builder) {
        this.storage = builder.baseUrl("http://storage").build();
    }

    @GetMapping(path = "/files/{id}", produces = MediaType.TEXT_PLAIN_VALUE)
    public ResponseEntity<String> read(@PathVariable String id) {
        return storage.get().uri("/files/{id}", id).retrieve().toEntity(String.class);
    }

    @PutMapping(path = "/files/{id}", consumes = MediaType.TEXT_PLAIN_VALUE)
    public ResponseEntity<Void> write(@PathVariable String id, @RequestBody String content) {
        storage.put().uri("/files/{id}", id).contentType(MediaType.TEXT_PLAIN).body(content).retrieve().toBodilessEntity();
        return ResponseEntity.noContent().build();
    }

    @DeleteMapping("/files/{id}")
    public ResponseEntity<Void> delete(@PathVariable String id) {
        storage.delete().uri("/files/{id}", id).retrieve().toBodilessEntity();
        return ResponseEntity.noContent().build();
    }
}
