/**
 * Benchmarks of Backend Router against the baselines users would otherwise pick. The JMH
 * benchmarks and load scenarios arrive with their own issue; {@code benchmarks/run.sh} will run
 * them outside {@code mvn verify}.
 */
package dev.backendrouter.benchmarks;
