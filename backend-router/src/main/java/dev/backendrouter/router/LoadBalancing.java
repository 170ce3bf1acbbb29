package dev.backendrouter.router;

/** How the router picks a member among the members of one tier (same role and priority). */
public enum LoadBalancing {
    /**
     * The default: draws two members at random in proportion to their weights and takes the one
     * with the lower cost (requests in flight + 1, times its latency estimate). Sends little to
     * a slow or busy member without starving it of the calls that show it has recovered.
     */
    POWER_OF_TWO_CHOICES,
    /** Each member in turn, ignoring weights and load. Predictable; a slow member gets its full share. */
    ROUND_ROBIN
}
