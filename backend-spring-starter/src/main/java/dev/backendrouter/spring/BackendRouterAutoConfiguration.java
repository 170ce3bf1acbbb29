package dev.backendrouter.spring;

import dev.backendrouter.api.BackendAuth;
import dev.backendrouter.router.BackendRouter;
import dev.backendrouter.router.BackendRouterBuilder;
import dev.backendrouter.router.HealthCheckSettings;
import dev.backendrouter.router.RegistryTopologySource;
import dev.backendrouter.router.TopologySource;
import java.util.List;
import okhttp3.OkHttpClient;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;

/**
 * Auto-configuration of Backend Router: a {@link BackendRouter} from the {@code backend-router.*}
 * properties (closed with the context) and its routed {@link OkHttpClient}. The RestClient,
 * health, endpoint and metrics integrations are in their own auto-configurations.
 */
@AutoConfiguration
@ConditionalOnClass({BackendRouter.class, OkHttpClient.class})
@EnableConfigurationProperties(BackendRouterProperties.class)
@org.springframework.context.annotation.Import(KubernetesDiscoveryConfiguration.class)
public class BackendRouterAutoConfiguration {

    /** The router; an application's own {@code BackendRouter} bean replaces it. */
    @Bean
    @ConditionalOnMissingBean
    public BackendRouter backendRouter(BackendRouterProperties properties, ResourceLoader resources, Environment environment,
            org.springframework.beans.factory.ObjectProvider<dev.backendrouter.router.spi.MemberDiscovery> discoveries) {
        BackendRouterBuilder builder = BackendRouter.builder().topology(source(properties, resources, environment));
        discoveries.orderedStream().forEach(builder::memberDiscovery);
        if (properties.getStage() != null) {
            builder.stage(properties.getStage());
        }
        RouterSettings.apply(properties, builder);
        return builder.build();
    }

    /** The routed client: {@code http://GROUP/...} goes through the router. */
    @Bean
    @ConditionalOnMissingBean(name = "backendRouterHttpClient")
    public OkHttpClient backendRouterHttpClient(BackendRouter router) {
        return router.httpClient();
    }

    static TopologySource source(BackendRouterProperties properties, ResourceLoader resources, Environment environment) {
        List<String> given = BackendRouterProperties.sourcesGiven(properties);
        if (given.size() != 1) {
            throw new IllegalStateException(given.isEmpty()
                    ? "Backend Router has no topology: set backend-router.topology.location (classpath:/file:), "
                            + "backend-router.registry.url with backend-router.registry.deployment-id, "
                            + "or backend-router.groups.<name>.backends[i].*"
                    : "Backend Router takes one topology source, but " + given + " are all set: keep one");
        }
        if (properties.getTopology().getLocation() != null) {
            // placeholders resolve from Spring's environment: environment variables, system properties, application properties
            return fileSource(properties.getTopology().getLocation(), resources).withEnvironment(environment::getProperty);
        }
        if (properties.getRegistry().getUrl() != null) {
            BackendRouterProperties.Registry registry = properties.getRegistry();
            if (registry.getDeploymentId() == null) {
                throw new IllegalStateException("backend-router.registry.url is set but backend-router.registry.deployment-id "
                        + "is not: give the id of this service's deployment in the registry");
            }
            RegistryTopologySource source = TopologySource.registry(registry.getUrl(), registry.getDeploymentId());
            if ((registry.getAuthHeader() == null) != (registry.getAuthValue() == null)) {
                throw new IllegalStateException("backend-router.registry.auth-header and backend-router.registry.auth-value "
                        + "go together: set both to send an API key to the registry, or neither");
            }
            if (registry.getToken() != null && registry.getAuthHeader() != null) {
                throw new IllegalStateException("backend-router.registry.token and backend-router.registry.auth-header are two "
                        + "ways to send a credential to the registry: set one of them");
            }
            if (registry.getAuthHeader() != null) {
                source = source.withAuth(BackendAuth.apiKey(registry.getAuthHeader(), registry.getAuthValue()));
            }
            if (registry.getToken() != null) {
                source = source.withAuth(BackendAuth.bearer(registry.getToken()));
            }
            if (!registry.getAllowedHosts().isEmpty()) {
                source = source.withAllowedHosts(registry.getAllowedHosts().toArray(String[]::new));
            }
            if (registry.getLastKnownGood() != null) {
                source = source.withLastKnownGood(registry.getLastKnownGood());
            }
            return source;
        }
        return InlineTopology.source(properties, environment);
    }

    private static dev.backendrouter.router.TopologyFileSource fileSource(String location, ResourceLoader resources) {
        if (location.startsWith("classpath:")) {
            return TopologySource.classpath(location.substring("classpath:".length()));
        }
        Resource resource = resources.getResource(location);
        try {
            return TopologySource.file(resource.getFile().toPath());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("backend-router.topology.location " + location + " is not a file: use "
                    + "classpath:... for a resource or file:... for a path", e);
        }
    }

    static HealthCheckSettings health(BackendRouterProperties.Health health) {
        HealthCheckSettings settings = Boolean.FALSE.equals(health.getEnabled()) ? HealthCheckSettings.disabled()
                : HealthCheckSettings.defaults();
        if (health.getPath() != null) {
            settings = settings.withPath(health.getPath());
        }
        if (health.getInterval() != null) {
            settings = settings.withInterval(health.getInterval());
        }
        if (health.getTimeout() != null) {
            settings = settings.withTimeout(health.getTimeout());
        }
        if (health.getUnhealthyAfter() != null || health.getHealthyAfter() != null) {
            settings = settings.withThresholds(
                    health.getUnhealthyAfter() != null ? health.getUnhealthyAfter() : settings.unhealthyAfter(),
                    health.getHealthyAfter() != null ? health.getHealthyAfter() : settings.healthyAfter());
        }
        return settings;
    }
}
