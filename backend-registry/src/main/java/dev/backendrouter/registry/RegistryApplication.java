package dev.backendrouter.registry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The Backend Connections registry: {@code java -jar backend-registry.jar} serves REFERENCE R1's
 * API on port 8085 over an embedded H2 database in {@code ./registry-data}; {@code --demo} loads
 * R1's example on a fresh start, with access control off; the usual {@code spring.datasource.*}
 * settings point it at PostgreSQL. {@code token …} and {@code import …} run a command on the
 * database instead (see {@link Commands}).
 */
@SpringBootApplication
public class RegistryApplication {

    public static void main(String[] args) {
        if (Commands.isCommand(args)) {
            System.exit(command(args));
        }
        application(args).run(withDemoFlag(args));
    }

    /** The application for these arguments: {@code --demo} turns access control off unless it is set. */
    static SpringApplication application(String[] args) {
        SpringApplication application = new SpringApplication(RegistryApplication.class);
        Map<String, Object> defaults = new java.util.HashMap<>(Map.of("registry.data-dir", dataDir(args)));
        if (Arrays.asList(args).contains("--demo")) {
            defaults.put("registry.auth.enabled", "false");
        }
        application.setDefaultProperties(defaults);
        return application;
    }

    /**
     * The embedded database's folder as an absolute path ({@code --registry.data}, or
     * {@code REGISTRY_DATA}, else {@code ./registry-data}): H2 takes no path relative to nothing.
     */
    static String dataDir(String[] args) {
        String data = System.getenv().getOrDefault("REGISTRY_DATA", "registry-data");
        for (String arg : args) {
            if (arg.startsWith("--registry.data=")) {
                data = arg.substring("--registry.data=".length());
            }
        }
        return java.nio.file.Path.of(data).toAbsolutePath().normalize().toString().replace('\\', '/');
    }

    /** {@code --demo} is {@code --registry.demo=true}. */
    static String[] withDemoFlag(String[] args) {
        List<String> out = new ArrayList<>();
        for (String arg : args) {
            out.add(arg.equals("--demo") ? "--registry.demo=true" : arg);
        }
        return out.toArray(String[]::new);
    }

    /** Runs a command: its words go to {@link Commands}, {@code --name=value} settings to Spring (the database to use). */
    static int command(String[] args) {
        List<String> words = new ArrayList<>();
        List<String> settings = new ArrayList<>();
        for (String arg : args) {
            boolean setting = arg.startsWith("--") && arg.contains("=") && !arg.startsWith("--scope=");
            (setting ? settings : words).add(arg);
        }
        int scope = words.indexOf("--scope=read") >= 0 ? words.indexOf("--scope=read") : words.indexOf("--scope=write");
        if (scope >= 0) {
            String value = words.remove(scope).substring("--scope=".length());
            words.addAll(scope, List.of("--scope", value));
        }
        SpringApplication application = new SpringApplication(RegistryApplication.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.setDefaultProperties(Map.<String, Object>of("registry.command", "true", "spring.main.banner-mode", "off",
                "logging.level.root", "OFF", "registry.data-dir", dataDir(args)));
        ConfigurableApplicationContext context;
        try {
            context = application.run(settings.toArray(String[]::new));
        } catch (RuntimeException e) {
            Throwable cause = e;
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            System.err.println("Cannot open the registry's database (" + cause + "). With the embedded database, stop the "
                    + "registry first: one process at a time holds its files. Check spring.datasource.* and registry.data.");
            return 1;
        }
        try (context) {
            return Commands.run(context, words, System.out, System.err);     // standard output: only what a script reads
        }
    }
}
