/** The registry benchmark: 1,000 simulated routers watching one deployment, polling versus waiting requests. */
package dev.backendrouter.benchmarks.registry;
