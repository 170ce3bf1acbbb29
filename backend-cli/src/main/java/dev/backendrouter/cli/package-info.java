/**
 * The {@code backend-router-cli} tool: {@code validate}, {@code probe} and {@code route} over a
 * topology file. {@link dev.backendrouter.cli.Main} is the jar's entry point and
 * {@link dev.backendrouter.cli.Cli#run} runs a command in-process; everything else is
 * package-private. See docs/cli.md.
 */
package dev.backendrouter.cli;
