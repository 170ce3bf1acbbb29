package dev.backendrouter.router.internal.cache;

import java.util.concurrent.atomic.LongAdder;

/** A group's cache counts, for the snapshot. */
public final class CacheStats {
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder coalesced = new LongAdder();
    private final LongAdder stale = new LongAdder();
    private final LongAdder tierHits = new LongAdder();
    private final LongAdder tierMisses = new LongAdder();
    private final LongAdder populated = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder invalidations = new LongAdder();
    private final LongAdder bypassed = new LongAdder();
    private final LongAdder tooLarge = new LongAdder();

    void hit() {
        hits.increment();
    }

    public void miss() {
        misses.increment();
    }

    void coalesced() {
        coalesced.increment();
    }

    void stale() {
        stale.increment();
    }

    public void tierHit() {
        tierHits.increment();
    }

    public void tierMiss() {
        tierMisses.increment();
    }

    void populated() {
        populated.increment();
    }

    void dropped() {
        dropped.increment();
    }

    void invalidated() {
        invalidations.increment();
    }

    public void bypassed() {
        bypassed.increment();
    }

    /** An answer not written to a shared cache member: over the value limit. */
    public void tooLarge() {
        tooLarge.increment();
    }

    /** hits, misses, coalesced, stale, tierHits, tierMisses, populated, dropped, invalidations, bypassed, tooLarge */
    public long[] values() {
        return new long[] {hits.sum(), misses.sum(), coalesced.sum(), stale.sum(), tierHits.sum(), tierMisses.sum(),
            populated.sum(), dropped.sum(), invalidations.sum(), bypassed.sum(), tooLarge.sum()};
    }
}
