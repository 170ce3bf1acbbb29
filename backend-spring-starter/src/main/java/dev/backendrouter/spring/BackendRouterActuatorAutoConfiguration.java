package dev.backendrouter.spring;

import dev.backendrouter.router.BackendRouter;
import dev.backendrouter.router.metrics.BackendRouterMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The router's health indicator, {@code backends} endpoint, credential masking for
 * {@code configprops}/{@code env} and Micrometer metrics, each when its library is there.
 */
@AutoConfiguration(after = BackendRouterAutoConfiguration.class,
        afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnBean(BackendRouter.class)
public class BackendRouterActuatorAutoConfiguration {

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    @ConditionalOnEnabledHealthIndicator("backendrouter")
    static class Health {
        @Bean
        @ConditionalOnMissingBean(name = "backendRouterHealthIndicator")
        BackendRouterHealthIndicator backendRouterHealthIndicator(BackendRouter router) {
            return new BackendRouterHealthIndicator(router);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(Endpoint.class)
    static class Backends {
        @Bean
        @ConditionalOnMissingBean
        BackendsEndpoint backendsEndpoint(BackendRouter router) {
            return new BackendsEndpoint(router);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(SanitizingFunction.class)
    static class Sanitizing {
        @Bean
        @ConditionalOnMissingBean(name = "backendRouterSanitizingFunction")
        SanitizingFunction backendRouterSanitizingFunction() {
            return new BackendRouterSanitizingFunction();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    @ConditionalOnBean(MeterRegistry.class)
    static class Metrics {
        @Bean
        @ConditionalOnMissingBean
        BackendRouterMetrics backendRouterMetrics(BackendRouter router, MeterRegistry registry) {
            return BackendRouterMetrics.bind(router, registry);
        }
    }
}
