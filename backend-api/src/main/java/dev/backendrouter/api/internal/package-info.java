/**
 * Implementation of the topology rules. Not public API: it may change in any release.
 */
package dev.backendrouter.api.internal;
