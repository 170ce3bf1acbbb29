package dev.backendrouter.spring;

import dev.backendrouter.router.BackendRouter;
import dev.backendrouter.router.RouterSnapshot;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * The actuator endpoint {@code backends}: the topology with every member's live state. Credentials
 * show only as the header they travel in ({@code X-API-Key: ****}).
 */
@Endpoint(id = "backends")
public class BackendsEndpoint {
    private final BackendRouter router;

    public BackendsEndpoint(BackendRouter router) {
        this.router = router;
    }

    @ReadOperation
    public RouterSnapshot backends() {
        return router.snapshot();
    }
}
