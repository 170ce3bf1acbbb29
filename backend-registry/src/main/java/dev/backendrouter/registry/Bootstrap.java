package dev.backendrouter.registry;

import java.io.PrintStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * The first start of a registry with access control: one {@code admin} token with scope
 * {@code write}, printed once on standard output (never logged, never stored but as a digest).
 * With several instances starting at once on one database, the token name's unique constraint
 * lets only one make it.
 */
@Component
@ConditionalOnProperty(name = "registry.command", havingValue = "false", matchIfMissing = true)
class Bootstrap implements ApplicationRunner {
    private static final Logger log = LoggerFactory.getLogger(Bootstrap.class);
    private final Tokens tokens;
    private final boolean enabled;
    private final PrintStream out;

    Bootstrap(Tokens tokens, @Value("${registry.auth.enabled:true}") boolean enabled) {
        this.tokens = tokens;
        this.enabled = enabled;
        this.out = System.out;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (!enabled) {
            log.warn("Access control is off (registry.auth.enabled=false, as --demo sets it): anyone who reaches this port "
                    + "can change every topology");
            return;
        }
        if (!tokens.none()) {
            return;
        }
        String token;
        try {
            token = tokens.create("admin", "write");
        } catch (RuntimeException madeElsewhere) {
            log.info("Another instance made the first admin token");
            return;
        }
        out.println();
        out.println("=== backend-registry: the first admin token (scope write), shown this once ===");
        out.println(token);
        out.println("=== keep it in a secret store; make others with: java -jar backend-registry.jar token create NAME --scope read ===");
        out.println();
        log.info("Made the first admin token (printed on standard output, once)");
    }
}
