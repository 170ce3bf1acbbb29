/** Resilience beside the attempt loop: circuit breakers, the retry budget. Not public API. */
package dev.backendrouter.router.internal.resilience;
