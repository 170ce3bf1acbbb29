package dev.backendrouter.cli;

/** ANSI bold and colours when the output is a terminal; the text unchanged otherwise. */
final class Style {
    private static final String RESET = "\u001b[0m";

    private final boolean ansi;

    Style(boolean ansi) {
        this.ansi = ansi;
    }

    String bold(String text) {
        return wrap("\u001b[1m", text);
    }

    String dim(String text) {
        return wrap("\u001b[2m", text);
    }

    String red(String text) {
        return wrap("\u001b[31m", text);
    }

    String green(String text) {
        return wrap("\u001b[32m", text);
    }

    String yellow(String text) {
        return wrap("\u001b[33m", text);
    }

    private String wrap(String code, String text) {
        return ansi && !text.isEmpty() ? code + text + RESET : text;
    }
}
