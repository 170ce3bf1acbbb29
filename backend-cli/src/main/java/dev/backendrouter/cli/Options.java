package dev.backendrouter.cli;

/** Option names, and the help lines of the options every command shares. */
final class Options {
    static final String HELP = "--help";
    static final String NO_COLOR = "--no-color";
    static final String STAGE = "--stage";
    static final String ENV = "--env";
    static final String JSON = "--json";
    static final String PATH = "--path";
    static final String TIMEOUT = "--timeout";
    static final String KEY = "--key";
    static final String METHOD = "--method";

    static final String COMMON_HELP = """
              --stage S           load for stage S (wip, prep, ship, prod): merges FILE's
                                  -S overlay (topology-S.yaml beside topology.yaml) and
                                  refuses members labelled for another stage
              --env NAME=VALUE    value of a ${NAME} placeholder, over the environment;
                                  repeatable (keep real secrets in the environment)
              --no-color          no ANSI colour, even on a terminal (or set NO_COLOR)
              -h, --help          this help
            """;

    private Options() {
    }
}
