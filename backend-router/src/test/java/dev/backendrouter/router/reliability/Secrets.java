package dev.backendrouter.router.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/**
 * The secrets planted by the secrets suite, and the search for them: every text the library
 * prints (a {@code toString}, an exception's message and stack text, a log line, the snapshot's
 * JSON) must hold none of them, nor a recognisable part (the first or last eight characters). The
 * counts feed {@link Figures} ({@code target/reliability/secrets.tsv}); they are the same on every
 * run since they count searches, not log lines.
 */
final class Secrets {
    static final String API_KEY = "sk-live-SECRET-4f9a1c7e2b";
    static final String BEARER = "tok-SECRET-bearer-8d2e55a1";
    static final String CUSTOM = "cst-SECRET-header-73b0c9e1";
    static final String REGISTRY_KEY = "reg-SECRET-key-19fe04aa";
    static final String FROM_ENV = "env-SECRET-resolved-6a3d7b";
    static final String USERINFO = "usr-SECRET-pass-2c81ff90";
    static final String QUERY = "qry-SECRET-apikey-5e7f0d13";
    /** Every value planted, in a topology or a source (and echoed by a backend's error answer). */
    static final List<String> ALL = List.of(API_KEY, BEARER, CUSTOM, REGISTRY_KEY, FROM_ENV, USERINFO, QUERY);

    private static final JsonMapper JSON = JsonMapper.shared();
    private static int texts;
    private static int logScenarios;
    private static int logEvents;
    private static int credentialChecks;
    private static int leaks;

    private Secrets() {
    }

    /** What of {@code secret} must never be printed: the whole and its first and last eight characters. */
    static List<String> parts(String secret) {
        return List.of(secret, secret.substring(0, 8), secret.substring(secret.length() - 8));
    }

    /** Asserts that no planted secret, nor a recognisable part of one, is in {@code text}. */
    static synchronized void assertClean(String what, String text) {
        texts++;
        List<String> found = new ArrayList<>();
        for (String secret : ALL) {
            for (String part : parts(secret)) {
                if (text != null && text.contains(part)) {
                    found.add(part);
                }
            }
        }
        if (!found.isEmpty()) {
            leaks++;
            fail("%s shows a secret (%s):%n%s", what, found, text);
        }
    }

    /** An object's {@code toString}. */
    static void assertCleanToString(String what, Object value) {
        assertThat(value).as(what).isNotNull();
        assertClean(what + " toString", String.valueOf(value));
    }

    /** A throwable's message and its whole printed stack: causes, suppressed, their messages. */
    static void assertClean(String what, Throwable thrown) {
        assertThat(thrown).as(what).isNotNull();
        StringWriter stack = new StringWriter();
        thrown.printStackTrace(new PrintWriter(stack));
        assertClean(what + " message", thrown.getMessage());
        assertClean(what + " stack trace", stack.toString());
    }

    /** A value as Jackson 3 writes it, as the actuator endpoint would; returns the JSON. */
    static String assertCleanJson(String what, Object value) {
        String json = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(value);
        assertClean(what + " JSON", json);
        return json;
    }

    /**
     * Every log event captured since the last {@link CapturedLogs#clear()}, then clears. Fails
     * unless SLF4J runs on {@link CapturedLogs} and it dropped nothing.
     */
    static void assertLogsClean(String scenario) {
        assertThat(CapturedLogs.isActive())
                .as("SLF4J runs on CapturedLogs (-Dslf4j.provider, set by backend-router's pom for this suite)").isTrue();
        assertThat(CapturedLogs.dropped()).as("log events dropped").isZero();
        List<CapturedLogs.Event> events = CapturedLogs.events();
        synchronized (Secrets.class) {
            logScenarios++;
            logEvents += events.size();
        }
        for (CapturedLogs.Event event : events) {
            assertClean("log line of " + scenario, event.text());
        }
        CapturedLogs.clear();
    }

    /** Counts one check that a backend received its credential: masking must not break auth. */
    static synchronized void credentialChecked() {
        credentialChecks++;
    }

    /** Records the suite's figures so far; the last class of the suite to finish records them all. */
    static synchronized void recordFigures() {
        Figures.record("secrets", "secret values planted", ALL.size());
        Figures.record("secrets", "texts searched (toString, messages, stack traces, JSON)", texts);
        Figures.record("secrets", "scenarios whose every log line was searched", logScenarios);
        Figures.record("secrets", "backend requests checked for their credential", credentialChecks);
        Figures.record("secrets", "leaks", leaks);
    }

    /** Log lines searched so far; varies with timing, so it is asserted on, never recorded. */
    static synchronized int logEventsSearched() {
        return logEvents;
    }
}
