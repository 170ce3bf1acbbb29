package dev.backendrouter.registry;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.springframework.stereotype.Component;

/** Which database the registry runs on: PostgreSQL, or the embedded H2. */
@Component
class Engine {
    private final boolean postgres;

    Engine(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            this.postgres = connection.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT).contains("postgres");
        }
    }

    boolean postgres() {
        return postgres;
    }
}
