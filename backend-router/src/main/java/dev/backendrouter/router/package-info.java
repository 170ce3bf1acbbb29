/**
 * Backend Router's entry points: {@link dev.backendrouter.router.TopologySource} to load a
 * topology from a file, a class-path resource or your own source.
 *
 * <pre>{@code
 * Topology topology = TopologySource.file(Path.of("topology.yaml")).forStage("prod").load();
 * }</pre>
 */
package dev.backendrouter.router;
