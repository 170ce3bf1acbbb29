/**
 * Spring Boot auto-configuration for Backend Router. The auto-configuration, properties,
 * health indicator and endpoint arrive with the starter's own issue; until then this module only
 * brings {@code backend-router} and {@code spring-boot-autoconfigure} onto the class path.
 */
package dev.backendrouter.spring;
