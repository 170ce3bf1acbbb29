package dev.backendrouter.router.internal.routing;

/** How one attempt ended, as far as routing is concerned. */
public enum Outcome {
    /** An answer to give the caller. */
    SUCCESS,
    /** The member has no such item: move to the next tier, and to the archive once the hot tiers say so. */
    NOT_FOUND,
    /** Failed after the request may have reached the backend: another member may be tried if the call is idempotent. */
    FAILED,
    /** Failed before the request reached the backend (connection refused): another member may always be tried. */
    FAILED_UNSENT,
    /** A definitive answer or failure that no other member would change (a 400, a cancelled call). */
    FINAL;

    boolean isFailure() {
        return this == FAILED || this == FAILED_UNSENT;
    }

    /** The outcome as listeners and metrics name it. */
    String eventName() {
        return switch (this) {
            case SUCCESS -> "success";
            case NOT_FOUND -> "not_found";
            case FAILED, FAILED_UNSENT -> "failed";
            case FINAL -> "final";
        };
    }
}
