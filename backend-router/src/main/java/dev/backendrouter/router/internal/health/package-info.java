/** Active health checks of the backends, beside the attempt loop. Not public API. */
package dev.backendrouter.router.internal.health;
