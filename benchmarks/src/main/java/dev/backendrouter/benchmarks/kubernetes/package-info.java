/** The Kubernetes benchmark: 5,000 endpoints across 50 EndpointSlices, from a slice change to the router's new snapshot. */
package dev.backendrouter.benchmarks.kubernetes;
