/**
 * The in-process half of the benchmarks: JMH benchmarks of the router beside the baselines a
 * user would pick instead (hand-written resilience4j, {@code TreeMap.floorEntry}, bare Caffeine),
 * an allocation check by class and the heap kept per member. {@link
 * dev.backendrouter.benchmarks.jmh.JmhSuite} runs them all and writes the results and a Markdown
 * fragment for {@code docs/benchmarks.md}.
 */
package dev.backendrouter.benchmarks.jmh;
