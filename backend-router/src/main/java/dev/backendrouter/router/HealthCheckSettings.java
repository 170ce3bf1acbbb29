package dev.backendrouter.router;

import java.time.Duration;
import java.util.Objects;

/**
 * Active health checks: every {@code interval} (with ±10% jitter) the router sends
 * {@code GET {url}{path}} to each distinct backend, one probe per URL however many groups name
 * it. A backend is unhealthy after {@code unhealthyAfter} failed probes in a row and healthy again
 * after {@code healthyAfter} good ones. A JSON body's {@code "status"} is understood:
 * {@code healthy}, {@code degraded} (used after the healthy members of its tier) or
 * {@code unhealthy} (a failed probe).
 *
 * <pre>{@code
 * BackendRouter.builder()
 *     .healthChecks(HealthCheckSettings.defaults().withPath("/status").withInterval(Duration.ofSeconds(5)))
 * }</pre>
 *
 * @param enabled whether probes run at all
 * @param path the path probed under each member's base URL
 * @param interval time between probes of one backend
 * @param timeout how long one probe may take
 * @param unhealthyAfter failed probes in a row that make a backend unhealthy
 * @param healthyAfter good probes in a row that make an unhealthy backend healthy again
 */
public record HealthCheckSettings(boolean enabled, String path, Duration interval, Duration timeout,
        int unhealthyAfter, int healthyAfter) {

    private static final HealthCheckSettings DEFAULTS =
            new HealthCheckSettings(true, "/health", Duration.ofSeconds(10), Duration.ofSeconds(2), 3, 2);

    public HealthCheckSettings {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(timeout, "timeout");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("the health path must start with '/', was '" + path + "'");
        }
        if (interval.isNegative() || interval.isZero() || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("health check interval and timeout must be positive");
        }
        if (unhealthyAfter < 1 || healthyAfter < 1) {
            throw new IllegalArgumentException("health thresholds must be at least 1");
        }
    }

    /** {@code GET /health} every 10 s, 2 s timeout, unhealthy after 3 failures, healthy after 2 successes. */
    public static HealthCheckSettings defaults() {
        return DEFAULTS;
    }

    /** No probes: every member counts as healthy and only breakers judge it. */
    public static HealthCheckSettings disabled() {
        return new HealthCheckSettings(false, DEFAULTS.path, DEFAULTS.interval, DEFAULTS.timeout,
                DEFAULTS.unhealthyAfter, DEFAULTS.healthyAfter);
    }

    public HealthCheckSettings withPath(String path) {
        return new HealthCheckSettings(enabled, path, interval, timeout, unhealthyAfter, healthyAfter);
    }

    public HealthCheckSettings withInterval(Duration interval) {
        return new HealthCheckSettings(enabled, path, interval, timeout, unhealthyAfter, healthyAfter);
    }

    public HealthCheckSettings withTimeout(Duration timeout) {
        return new HealthCheckSettings(enabled, path, interval, timeout, unhealthyAfter, healthyAfter);
    }

    public HealthCheckSettings withThresholds(int unhealthyAfter, int healthyAfter) {
        return new HealthCheckSettings(enabled, path, interval, timeout, unhealthyAfter, healthyAfter);
    }
}
