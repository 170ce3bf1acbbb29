package dev.backendrouter.spring;

import dev.backendrouter.router.BackendRouterBuilder;

/** The router settings among the properties, applied to a builder; what is not set keeps the router's default. */
final class RouterSettings {
    private RouterSettings() {
    }

    static void apply(BackendRouterProperties properties, BackendRouterBuilder builder) {
        if (properties.getReadPreference() != null) {
            builder.readPreference(properties.getReadPreference());
        }
        BackendRouterProperties.Resilience resilience = properties.getResilience();
        if (resilience.getMaxAttempts() != null) {
            builder.maxAttempts(resilience.getMaxAttempts());
        }
        if (resilience.getAttemptTimeout() != null) {
            builder.attemptTimeout(resilience.getAttemptTimeout());
        }
        if (resilience.getDeadline() != null) {
            builder.deadline(resilience.getDeadline());
        }
        if (resilience.getRetryBudgetRatio() != null || resilience.getRetryBudgetFloorPerSecond() != null) {
            // the builder takes both at once; the half left unset keeps its documented default (0.2 and 2)
            builder.retryBudget(resilience.getRetryBudgetRatio() != null ? resilience.getRetryBudgetRatio() : 0.2,
                    resilience.getRetryBudgetFloorPerSecond() != null ? resilience.getRetryBudgetFloorPerSecond() : 2);
        }
        java.time.Duration reload = properties.getRegistry().getUrl() != null && properties.getRegistry().getPollInterval() != null
                ? properties.getRegistry().getPollInterval() : resilience.getReloadInterval();
        if (reload != null) {
            builder.reloadEvery(reload);
        } else if (properties.getRegistry().getUrl() != null) {
            builder.reloadEvery(java.time.Duration.ofSeconds(30));
        }
        BackendRouterProperties.Cache cache = properties.getCache();
        if (cache.getReadYourWrites() != null) {
            builder.readYourWrites(cache.getReadYourWrites());
        }
        if (cache.getTierTimeout() != null) {
            builder.cacheTierTimeout(cache.getTierTimeout());
        }
        if (cache.getMemberTimeout() != null) {
            builder.cacheMemberTimeout(cache.getMemberTimeout());
        }
        if (cache.getValueLimit() != null) {
            builder.cacheValueLimit(cache.getValueLimit());
        }
        builder.healthChecks(BackendRouterAutoConfiguration.health(properties.getHealth()));
    }
}
