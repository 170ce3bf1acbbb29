/**
 * Service-provider interfaces for integration modules: a {@link dev.backendrouter.router.spi.CacheConnector}
 * serves CACHE members whose URL scheme is not HTTP ({@code redis://} in {@code backend-router-redis}).
 */
package dev.backendrouter.router.spi;
