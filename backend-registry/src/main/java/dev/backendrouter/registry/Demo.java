package dev.backendrouter.registry;

import dev.backendrouter.api.BackendRole;
import dev.backendrouter.api.registry.Deployment;
import dev.backendrouter.api.registry.ServiceBackend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * {@code --demo}: REFERENCE R1's example on a fresh start — file-service 123 using
 * file-system-server 456 (PRIMARY) and 457 (BACKUP) for storage, redis-cache in front of them,
 * and the users-a-m / users-n-z shards. A registry that holds deployment 123 already is left as it is.
 */
@Component
@ConditionalOnProperty(name = "registry.demo", havingValue = "true")
class Demo implements ApplicationRunner {
    private static final Logger log = LoggerFactory.getLogger(Demo.class);
    private final Registry registry;

    Demo(Registry registry) {
        this.registry = registry;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (!registry.deployments(null, "file-service", null, 0, 1).isEmpty()) {
            log.info("Demo data: file-service is registered already; nothing loaded");
            return;
        }
        registry.create(new Deployment(123, "file-service", "file-service-1", null, "localhost", 8080, "running", null));
        registry.create(new Deployment(456, "file-system-server", "file-system-server-1", null, "localhost", 4001, "running", null));
        registry.create(new Deployment(457, "file-system-server", "file-system-server-2", null, "localhost", 4002, "running", null));
        registry.create(new Deployment(458, "redis-cache", "redis-cache", "redis://localhost:6379/0", null, null, "running", null));
        registry.create(new Deployment(461, "user-store", "users-a-m", null, "localhost", 5001, "running", null));
        registry.create(new Deployment(462, "user-store", "users-n-z", null, "localhost", 5002, "running", null));
        // a group of a cache alone would be refused: the storage comes first
        registry.add(new ServiceBackend(null, 123, 456, BackendRole.PRIMARY, 2, null, "storage"));
        registry.add(new ServiceBackend(null, 123, 457, BackendRole.BACKUP, 3, null, "storage"));
        registry.add(new ServiceBackend(null, 123, 458, BackendRole.CACHE, 1, null, "storage"));
        // the two shards at once: either alone leaves keys without a shard
        registry.addAll(java.util.List.of(new ServiceBackend(null, 123, 461, BackendRole.SHARD, null, "users-a-m", "users"),
                new ServiceBackend(null, 123, 462, BackendRole.SHARD, null, "users-n-z", "users")));
        log.info("Demo data loaded: file-service 123 with storage (redis-cache, 456 PRIMARY, 457 BACKUP) and users (two shards)");
    }
}
