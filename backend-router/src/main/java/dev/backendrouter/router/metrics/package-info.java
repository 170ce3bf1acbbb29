/**
 * Micrometer metrics of a router ({@link dev.backendrouter.router.metrics.BackendRouterMetrics}).
 * The only package that needs Micrometer, an optional dependency.
 */
package dev.backendrouter.router.metrics;
