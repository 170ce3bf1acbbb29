package dev.backendrouter.api.internal;

import static dev.backendrouter.api.internal.Texts.printable;
import static dev.backendrouter.api.internal.Texts.redacted;

import dev.backendrouter.api.BackendAuth;
import dev.backendrouter.api.BackendMember;
import dev.backendrouter.api.BackendRole;
import dev.backendrouter.api.Problem;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The rules of a cache member's {@code redis://}, {@code rediss://} or {@code redis-sentinel://}
 * URL. Whether a module that serves the scheme is on the class path is the router's to check.
 */
final class CacheUrls {
    private static final Pattern DATABASE = Pattern.compile("/?|/[0-9]{1,5}");
    private static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9.-]+)(:[0-9]{1,5})?");

    private CacheUrls() {
    }

    static void check(String path, BackendMember member, List<Problem> problems) {
        URI url = member.url();
        String scheme = url.getScheme().toLowerCase(Locale.ROOT);
        String shown = "'" + printable(redacted(url)) + "'";
        if (member.role() != null && member.role() != BackendRole.CACHE) {
            problems.add(new Problem(path + ".role", "a " + scheme + ":// backend is a cache: give it role CACHE "
                    + "(a " + member.role() + " backend needs an http or https URL)"));
        }
        String userInfo = Texts.userInfo(url);
        if (userInfo != null) {
            problems.add(new Problem(path + ".url", "credentials both in the URL and in auth: give them in one place"));
            url = Texts.withoutUserInfo(url, userInfo);     // the checks below never see, nor print, the password
        }
        String authority = url.getRawAuthority();
        if (authority == null || authority.isEmpty()) {
            problems.add(new Problem(path + ".url", shown + " has no host: write " + scheme + "://host:port/0"));
        } else if (scheme.equals("redis-sentinel")) {
            for (String sentinel : authority.split(",", -1)) {
                checkHostPort(path, sentinel, shown, problems);
            }
            if (url.getRawFragment() == null || url.getRawFragment().isBlank()) {
                problems.add(new Problem(path + ".url", shown + " names no master: write "
                        + "redis-sentinel://sentinel-1:26379,sentinel-2:26379/0#mymaster"));
            }
        } else {
            checkHostPort(path, authority, shown, problems);
            if (url.getRawFragment() != null) {
                problems.add(new Problem(path + ".url", "a " + scheme + ":// URL has no fragment: " + shown));
            }
        }
        String database = url.getRawPath() == null ? "" : url.getRawPath();
        if (!DATABASE.matcher(database).matches()) {
            problems.add(new Problem(path + ".url", "the path of " + shown + " must be a database number, such as /0"));
        }
        if (url.getRawQuery() != null) {
            problems.add(new Problem(path + ".url", "a cache URL takes no query (" + shown + "): give timeouts under "
                    + "timeouts and credentials under auth"));
        }
        BackendAuth auth = member.auth();
        if (auth instanceof BackendAuth.ApiKey || auth instanceof BackendAuth.Bearer) {
            problems.add(new Problem(path + ".auth", "a " + scheme + ":// member authenticates with { password: ... } "
                    + "(and username, for an ACL user) or with credentials in its URL, not with a header"));
        }
    }

    private static void checkHostPort(String path, String hostPort, String shown, List<Problem> problems) {
        if (!HOST_PORT.matcher(hostPort).matches()) {
            problems.add(new Problem(path + ".url", "'" + printable(hostPort) + "' in " + shown + " is not host or host:port"
                    + (hostPort.contains("_") ? " (a host name has letters, digits, '-' and '.': the Redis client misreads '_')" : "")));
            return;
        }
        int colon = hostPort.lastIndexOf(':');
        if (colon > hostPort.lastIndexOf(']')) {
            int port = Integer.parseInt(hostPort.substring(colon + 1));
            if (port < 1 || port > 65535) {
                problems.add(new Problem(path + ".url", "port " + port + " is outside 1-65535 in " + shown));
            }
        }
    }
}
