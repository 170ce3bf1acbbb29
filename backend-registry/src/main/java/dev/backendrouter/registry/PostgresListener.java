package dev.backendrouter.registry;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * On PostgreSQL, one connection that {@code LISTEN}s for the changes every instance commits, so
 * that a request waiting here wakes for a change made through another instance. A lost
 * connection is made again, and every waiter then looks again (a change may have been missed).
 */
@Component
class PostgresListener implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(PostgresListener.class);
    private final DataSource dataSource;
    private final Watches watches;
    private final boolean postgres;
    private volatile boolean running;
    private volatile Connection connection;
    private Thread thread;

    PostgresListener(DataSource dataSource, Watches watches, Engine engine) {
        this.dataSource = dataSource;
        this.watches = watches;
        this.postgres = engine.postgres();
    }

    @Override
    public synchronized void start() {
        if (!postgres || running) {
            return;
        }
        running = true;
        thread = new Thread(this::listen, "registry-postgres-listener");
        thread.setDaemon(true);
        thread.start();
    }

    private void listen() {
        boolean first = true;
        while (running) {
            try (Connection listening = dataSource.getConnection()) {
                connection = listening;
                listening.setAutoCommit(true);
                try (Statement statement = listening.createStatement()) {
                    statement.execute("LISTEN " + Changes.CHANNEL);
                }
                if (!first) {
                    log.info("Listening for registry changes on PostgreSQL again; waiting requests look again");
                    watches.changedAll();
                }
                first = false;
                PGConnection pg = listening.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(1000);
                    if (notifications != null && notifications.length > 0) {
                        watches.changed(ids(notifications));
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    return;
                }
                log.warn("Lost the PostgreSQL connection that listens for registry changes ({}); trying again in 1 s", e.toString());
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException interrupted) {
                    return;
                }
            } finally {
                connection = null;
            }
        }
    }

    private static List<Long> ids(PGNotification[] notifications) {
        List<Long> ids = new ArrayList<>();
        for (PGNotification notification : notifications) {
            for (String id : notification.getParameter().split(",")) {
                if (!id.isBlank()) {
                    ids.add(Long.parseLong(id.strip()));
                }
            }
        }
        return ids;
    }

    @Override
    public synchronized void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            thread = null;
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
