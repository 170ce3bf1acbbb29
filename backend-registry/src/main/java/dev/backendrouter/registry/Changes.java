package dev.backendrouter.registry;

import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Tells waiting requests that deployments changed, once the change is committed: on this
 * instance after the commit, and on PostgreSQL to every instance through {@code NOTIFY}, which
 * PostgreSQL delivers only when the transaction commits (and never for one rolled back).
 */
@Component
class Changes {
    static final String CHANNEL = "backend_registry_changes";
    private final JdbcClient jdbc;
    private final Watches watches;
    private final boolean postgres;

    Changes(JdbcClient jdbc, Watches watches, Engine engine) {
        this.jdbc = jdbc;
        this.watches = watches;
        this.postgres = engine.postgres();
    }

    /** In a writing transaction: these deployments' answers change when it commits. */
    void touched(Collection<Long> deploymentIds) {
        List<Long> ids = List.copyOf(deploymentIds);
        if (postgres) {
            jdbc.sql("SELECT pg_notify(?, ?)").params(CHANNEL, ids.stream().map(String::valueOf).collect(Collectors.joining(",")))
                    .query().singleValue();
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                watches.changed(ids);
            }
        });
    }
}
