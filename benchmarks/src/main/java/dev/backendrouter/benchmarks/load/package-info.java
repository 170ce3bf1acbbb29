/**
 * The load and fault scenarios of the benchmarks: real HTTP over loopback between simulated
 * backends (the JDK's HttpServer), the router, and the baselines users would otherwise pick —
 * raw OkHttp, nginx started from a generated config, a naive retry loop — run side by side in
 * alternating rounds. {@link dev.backendrouter.benchmarks.load.LoadSuite} is the entry point.
 */
package dev.backendrouter.benchmarks.load;
