package dev.backendrouter.router;

/**
 * What active health checks say of a backend. Routing skips {@link #UNHEALTHY} members and uses
 * {@link #DEGRADED} ones after the healthy members of their tier; when every member of a plan is
 * unhealthy they are all tried anyway, since health data can be wrong.
 */
public enum MemberHealth {
    /** Not probed yet, or health checks are off: treated as healthy. */
    UNKNOWN,
    /** Answered its health checks. */
    HEALTHY,
    /** Answers, but its health body says {@code "status":"degraded"}. */
    DEGRADED,
    /** Failed its last health checks (several in a row), or says {@code "status":"unhealthy"}. */
    UNHEALTHY
}
