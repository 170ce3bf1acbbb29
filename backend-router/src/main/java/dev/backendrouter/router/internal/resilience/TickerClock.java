package dev.backendrouter.router.internal.resilience;

import dev.backendrouter.router.Ticker;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** The router's ticker as a {@link Clock}, so resilience4j's open-state waits follow a fake ticker in tests. */
final class TickerClock extends Clock {
    private final Ticker ticker;
    private final Instant origin;
    private final long originNanos;

    TickerClock(Ticker ticker) {
        this.ticker = ticker;
        this.origin = Instant.now();
        this.originNanos = ticker.nanoTime();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return origin.plusNanos(ticker.nanoTime() - originNanos);
    }
}
