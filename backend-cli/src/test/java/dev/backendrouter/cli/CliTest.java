package dev.backendrouter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Help, usage errors and exit codes of the command line itself. */
class CliTest {

    @ParameterizedTest
    @ValueSource(strings = {"--help", "-h"})
    void topLevelHelpListsEveryCommandAndTheExitCodes(String option) {
        CliRun run = CliRun.run(option);

        assertThat(run.exit()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).startsWith("Usage: backend-router-cli [--no-color] COMMAND [OPTIONS]")
                .contains("validate FILE", "probe FILE", "route FILE GROUP PATH", "Exit codes: 0 ok, 1 invalid");
    }

    @ParameterizedTest
    @CsvSource({
        "validate, --help, Usage: backend-router-cli validate FILE [--stage S] [--env NAME=VALUE]... [--json]",
        "validate, -h, Usage: backend-router-cli validate FILE",
        "probe, --help, Usage: backend-router-cli probe FILE [--stage S] [--env NAME=VALUE]... [--path P] [--timeout T]",
        "probe, -h, Usage: backend-router-cli probe FILE",
        "route, --help, Usage: backend-router-cli route FILE GROUP PATH [--key K] [--method M] [--stage S]",
        "route, -h, Usage: backend-router-cli route FILE GROUP PATH"})
    void eachCommandHasItsOwnHelp(String command, String option, String firstLine) {
        CliRun run = CliRun.run(command, option);

        assertThat(run.exit()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).startsWith(firstLine).contains("--stage S", "--env NAME=VALUE", "Exit codes:");
    }

    @Test
    void helpWinsOverMissingArgumentsAndIsAlsoACommand() {
        assertThat(CliRun.run("route", "only-a-file.yaml", "--help").exit()).isZero();
        CliRun run = CliRun.run("help", "probe");
        assertThat(run.exit()).isZero();
        assertThat(run.out()).startsWith("Usage: backend-router-cli probe");
    }

    @Test
    void probeHelpShowsTheRoutersHealthDefaults() {
        assertThat(CliRun.run("probe", "--help").out()).contains("(default: the router's, /health)",
                "(default: the router's, 2s)");
    }

    @Test
    void noArgumentsIsAUsageError() {
        CliRun run = CliRun.run();

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().lines()).containsExactly(
                "backend-router-cli: missing COMMAND",
                "Usage: backend-router-cli [--no-color] COMMAND [OPTIONS]",
                "Run 'backend-router-cli --help' for more.");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "frobnicate                          | unknown command 'frobnicate'                | Run 'backend-router-cli --help'",
        "--verbose validate t.yaml           | unknown option --verbose                    | Run 'backend-router-cli --help'",
        "help frobnicate                     | unknown command 'frobnicate'                | Run 'backend-router-cli --help'",
        "validate                            | missing FILE                                | Usage: backend-router-cli validate",
        "validate a.yaml b.yaml              | unexpected argument 'b.yaml'                | Usage: backend-router-cli validate",
        "validate t.yaml --verbose           | unknown option --verbose                    | Run 'backend-router-cli validate --help'",
        "validate t.yaml --stage             | --stage needs a value                       | Usage: backend-router-cli validate",
        "validate t.yaml --json=yes          | --json takes no value                       | Usage: backend-router-cli validate",
        "validate t.yaml --env TOKEN         | --env takes NAME=VALUE; one of its arguments | Usage: backend-router-cli validate",
        "probe t.yaml --json                 | unknown option --json                       | Usage: backend-router-cli probe",
        "probe t.yaml --timeout 5            | --timeout '5' is not a duration             | Usage: backend-router-cli probe",
        "probe t.yaml --timeout 0s           | --timeout must be positive, was 0s          | Usage: backend-router-cli probe",
        "probe t.yaml --path health          | --path must start with '/', was 'health'    | Usage: backend-router-cli probe",
        "route t.yaml storage                | missing PATH                                | Usage: backend-router-cli route",
        "route t.yaml                        | missing GROUP PATH                          | Usage: backend-router-cli route",
        "route t.yaml storage / --method GOT | unknown method 'GOT'                        | Usage: backend-router-cli route",
        "route t.yaml storage / --key=       | --key:                                      | Usage: backend-router-cli route"})
    void badCommandLinesPrintUsageOnStderrAndExit2(String line, String message, String usage) {
        CliRun run = CliRun.run(line.split(" "));

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith("backend-router-cli: " + message).contains(usage);
    }

    @Test
    void aSecretGivenWithTheWrongSeparatorIsNotEchoed() {
        CliRun run = CliRun.run("validate", "t.yaml", "--env", "API_KEY:s3cr3t-value");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.out() + run.err()).doesNotContain("s3cr3t-value");
    }

    @Test
    void optionsMayComeBeforeTheArgumentsAndTakeTheirValueAfterAnEqualsSign() {
        CliRun run = CliRun.run("validate", "--stage=prep", "--json", "missing.yaml");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).contains("\"stage\" : \"prep\"", "\"valid\" : false");
    }
}
