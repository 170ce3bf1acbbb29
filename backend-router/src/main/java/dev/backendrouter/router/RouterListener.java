package dev.backendrouter.router;

import dev.backendrouter.api.Problem;
import dev.backendrouter.api.Topology;
import java.util.List;

/**
 * Hears what happens to a router's topology. Methods run on the thread that reloads (the
 * caller of {@link BackendRouter#reload()}, or the router's reload thread) and must return
 * quickly; every method does nothing by default.
 *
 * <pre>{@code
 * BackendRouter.builder()
 *     .listener(new RouterListener() {
 *         public void topologyRejected(String source, List<Problem> problems) {
 *             alerts.raise("bad topology from " + source + ": " + problems);
 *         }
 *     })
 * }</pre>
 */
public interface RouterListener {

    /** A new topology is serving; {@code previous} served until now. */
    default void topologyApplied(Topology previous, Topology current) {
    }

    /** A new topology was refused; the previous one keeps serving. */
    default void topologyRejected(String source, List<Problem> problems) {
    }
}
