package dev.backendrouter.registry;

import java.util.List;
import org.junit.jupiter.api.AfterAll;

/** The same API, flow and checks on a real PostgreSQL, with the same Flyway migrations. */
class RegistryApiPostgresIntegrationTest extends RegistryApiIntegrationTest {
    private Postgres postgres;

    @Override
    List<String> database() {
        postgres = Postgres.start();
        return Instance.postgres(postgres.createDatabase("registry_api"));
    }

    @AfterAll
    void stopPostgres() {
        if (postgres != null) {
            postgres.close();
        }
    }
}
