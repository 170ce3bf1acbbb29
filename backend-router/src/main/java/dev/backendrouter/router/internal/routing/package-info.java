/**
 * The routing core: the immutable routing table (groups, shards, tiers), per-URL member state,
 * load balancers and the one attempt loop that every front door uses. Not public API.
 */
package dev.backendrouter.router.internal.routing;
