package dev.backendrouter.benchmarks.load;

import java.util.List;
import java.util.Map;

/**
 * What a scenario found: its rows in the summary table, its own Markdown section, and every raw
 * number for load.json.
 *
 * @param targets one row per target of the scenario
 * @param markdown the scenario's section of load.md (a level-3 heading and below)
 * @param json settings, per-round numbers per side, summaries, time series
 */
record ScenarioResult(String id, String title, List<Target> targets, String markdown, Map<String, Object> json) {

    /**
     * One target: what was measured against it and whether it was met.
     *
     * @param verdict {@code yes}, {@code **no**}, {@code reported} (no target, only numbers) or
     *     {@code not run: ...}
     */
    record Target(String measure, String measured, String target, String verdict) {
    }
}
