package dev.backendrouter.benchmarks.load;

/** One load or fault scenario of the suite: sets up its backends and baselines, runs its rounds, reports. */
interface Scenario {
    /** A short id: the key in load.json and the prefix of its charts. */
    String id();

    String title();

    ScenarioResult run(Context context) throws Exception;
}
