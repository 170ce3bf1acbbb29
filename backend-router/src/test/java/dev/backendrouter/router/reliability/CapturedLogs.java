package dev.backendrouter.router.reliability;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.AbstractLogger;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * A test-only SLF4J 2 provider that keeps every log event of the JVM in memory — every level,
 * TRACE included, with its logger, formatted message and the throwable's whole stack text (causes
 * and suppressed ones too) — and prints WARN and above to stderr. Selected by the system property
 * {@code slf4j.provider=dev.backendrouter.router.reliability.CapturedLogs}, which backend-router's
 * pom sets for the reliability suites only (their own failsafe execution); every other test keeps
 * slf4j-simple.
 *
 * <pre>{@code
 * CapturedLogs.clear();
 * router.reload();
 * assertThat(CapturedLogs.events()).anyMatch(e -> e.message().contains("rejected"));
 * }</pre>
 */
public final class CapturedLogs implements SLF4JServiceProvider {
    /** At most this many events are kept; beyond it the oldest are dropped and counted. */
    static final int LIMIT = 100_000;

    private static final List<Event> EVENTS = new ArrayList<>();
    private static long dropped;

    /**
     * One log event.
     *
     * @param throwable the throwable's {@code printStackTrace} text (causes included), or {@code null}
     */
    public record Event(Level level, String logger, String thread, String message, String throwable) {
        /** Everything the event would print. */
        public String text() {
            return level + " [" + thread + "] " + logger + " - " + message + (throwable == null ? "" : "\n" + throwable);
        }
    }

    private final ILoggerFactory loggers = new Loggers();
    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final MDCAdapter mdc = new BasicMDCAdapter();

    /** Whether SLF4J runs on this provider (the {@code slf4j.provider} property chose it). */
    public static boolean isActive() {
        return LoggerFactory.getILoggerFactory() instanceof Loggers;
    }

    /** The events kept so far, oldest first. */
    public static synchronized List<Event> events() {
        return List.copyOf(EVENTS);
    }

    /** Forgets every event kept so far. */
    public static synchronized void clear() {
        EVENTS.clear();
        dropped = 0;
    }

    /** Events dropped since the last {@link #clear()} because more than {@value #LIMIT} were kept. */
    public static synchronized long dropped() {
        return dropped;
    }

    private static synchronized void add(Event event) {
        if (EVENTS.size() >= LIMIT) {
            EVENTS.remove(0);
            dropped++;
        }
        EVENTS.add(event);
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return loggers;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {
        // nothing to set up: the events live in a static list
    }

    private static final class Loggers implements ILoggerFactory {
        private final ConcurrentMap<String, Captured> byName = new ConcurrentHashMap<>();

        @Override
        public org.slf4j.Logger getLogger(String name) {
            return byName.computeIfAbsent(name, Captured::new);
        }
    }

    /** Every level is enabled, so debug and trace lines are produced (and searched) too. */
    private static final class Captured extends AbstractLogger {
        private static final long serialVersionUID = 1L;

        Captured(String name) {
            this.name = name;
        }

        @Override
        protected String getFullyQualifiedCallerName() {
            return null;
        }

        @Override
        protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments,
                Throwable throwable) {
            String message = MessageFormatter.basicArrayFormat(pattern, arguments);
            String stack = null;
            if (throwable != null) {
                StringWriter text = new StringWriter();
                throwable.printStackTrace(new PrintWriter(text));
                stack = text.toString();
            }
            Event event = new Event(level, name, Thread.currentThread().getName(), message, stack);
            add(event);
            if (level.toInt() >= Level.WARN.toInt()) {
                System.err.println(event.text());
            }
        }

        @Override
        public boolean isTraceEnabled() {
            return true;
        }

        @Override
        public boolean isTraceEnabled(Marker marker) {
            return true;
        }

        @Override
        public boolean isDebugEnabled() {
            return true;
        }

        @Override
        public boolean isDebugEnabled(Marker marker) {
            return true;
        }

        @Override
        public boolean isInfoEnabled() {
            return true;
        }

        @Override
        public boolean isInfoEnabled(Marker marker) {
            return true;
        }

        @Override
        public boolean isWarnEnabled() {
            return true;
        }

        @Override
        public boolean isWarnEnabled(Marker marker) {
            return true;
        }

        @Override
        public boolean isErrorEnabled() {
            return true;
        }

        @Override
        public boolean isErrorEnabled(Marker marker) {
            return true;
        }
    }
}
