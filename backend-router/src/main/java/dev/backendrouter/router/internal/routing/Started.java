package dev.backendrouter.router.internal.routing;

import java.util.concurrent.CompletableFuture;

/**
 * An attempt running off the calling thread (a hedged read): its eventual result or failure,
 * and how to stop it.
 */
public final class Started<R> {
    private final CompletableFuture<R> result;
    private final Runnable cancel;

    public Started(CompletableFuture<R> result, Runnable cancel) {
        this.result = result;
        this.cancel = cancel;
    }

    CompletableFuture<R> result() {
        return result;
    }

    void cancel() {
        cancel.run();
    }
}
