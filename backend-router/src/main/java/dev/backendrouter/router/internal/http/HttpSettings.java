package dev.backendrouter.router.internal.http;

import java.time.Duration;

/**
 * The router's HTTP settings.
 *
 * @param attemptTimeout read and write timeout of one attempt, unless the member sets its own
 * @param retryOnServerError whether a 500 moves an idempotent call to another member
 * @param retryOnTimeout whether a timed-out attempt of an idempotent call moves it to another member
 */
public record HttpSettings(Duration attemptTimeout, boolean retryOnServerError, boolean retryOnTimeout) {
}
