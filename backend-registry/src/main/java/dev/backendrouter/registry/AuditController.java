package dev.backendrouter.registry;

import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/audit?deploymentId=123}: the changes of a deployment's topology and of the deployment, newest first. */
@RestController
class AuditController {
    private final Registry registry;

    AuditController(Registry registry) {
        this.registry = registry;
    }

    @GetMapping("/api/audit")
    List<Map<String, Object>> history(@RequestParam long deploymentId, @RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > 1000) {
            throw ApiException.invalid("limit", "must be within 1-1000");
        }
        return registry.history(deploymentId, limit);
    }
}
