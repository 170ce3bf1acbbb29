package dev.backendrouter.registry;

import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The Backend Connections registry: {@code java -jar backend-registry.jar} serves REFERENCE R1's
 * API on port 8085 over an embedded H2 database in {@code ./registry-data}; {@code --demo} loads
 * R1's example on a fresh start; the usual {@code spring.datasource.*} settings point it at
 * PostgreSQL.
 */
@SpringBootApplication
public class RegistryApplication {

    public static void main(String[] args) {
        SpringApplication.run(RegistryApplication.class, withDemoFlag(args));
    }

    /** {@code --demo} is {@code --registry.demo=true}. */
    static String[] withDemoFlag(String[] args) {
        List<String> out = new ArrayList<>();
        for (String arg : args) {
            out.add(arg.equals("--demo") ? "--registry.demo=true" : arg);
        }
        return out.toArray(String[]::new);
    }
}
