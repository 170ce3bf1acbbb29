/**
 * The topology model of Backend Router: {@link dev.backendrouter.api.Topology},
 * {@link dev.backendrouter.api.BackendGroup}, {@link dev.backendrouter.api.BackendMember} and
 * {@link dev.backendrouter.api.BackendRole}, routing keys and shard ranges, and every exception
 * the router throws (all unchecked, under {@link dev.backendrouter.api.BackendRouterException}).
 *
 * <p>This module has no third-party dependency: code that only describes a topology, or catches
 * the router's exceptions, needs nothing else.
 */
package dev.backendrouter.api;
