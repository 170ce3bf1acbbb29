/**
 * Spring Boot auto-configuration for Backend Router: a {@code BackendRouter} bean from the
 * {@code backend-router.*} properties, the routed {@code OkHttpClient}, routed
 * {@code RestClient}s, the {@code backendRouter} health indicator, the {@code backends}
 * actuator endpoint, Micrometer metrics, and a failure analysis for invalid topologies.
 */
package dev.backendrouter.spring;
