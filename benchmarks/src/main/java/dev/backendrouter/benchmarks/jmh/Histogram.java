package dev.backendrouter.benchmarks.jmh;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;

/** The JVM's class histogram (as {@code jcmd PID GC.class_histogram} prints it), read in-process. */
final class Histogram {
    private static final Pattern ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");

    /** Instances and bytes of one class. */
    record Count(long instances, long bytes) {
        Count minus(Count other) {
            return other == null ? this : new Count(instances - other.instances, bytes - other.bytes);
        }
    }

    private Histogram() {
    }

    /**
     * Instances and bytes by class name.
     *
     * @param all every object, unreachable ones included (no collection first); otherwise live objects
     *     only, after a full collection
     */
    static Map<String, Count> take(boolean all) throws Exception {
        String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {all ? new String[] {"-all"} : new String[0]}, new String[] {String[].class.getName()});
        Map<String, Count> rows = new HashMap<>();
        for (String line : text.split("\n")) {
            Matcher row = ROW.matcher(line);
            if (row.find()) {
                rows.merge(readable(row.group(3)), new Count(Long.parseLong(row.group(1)), Long.parseLong(row.group(2))),
                        (a, b) -> new Count(a.instances() + b.instances(), a.bytes() + b.bytes()));
            }
        }
        return rows;
    }

    /** {@code Foo$$Lambda$93/0x00007fdd...} reads {@code Foo$$Lambda}: the numbers change from run to run. */
    static String readable(String className) {
        return className.replaceAll("\\$\\$Lambda\\$.*", "\\$\\$Lambda");
    }
}
