package dev.backendrouter.api.internal;

import java.net.URI;

/** Text from a topology made safe for messages and logs: escaped, cut, credentials masked. */
public final class Texts {
    private static final java.util.Set<String> CACHE_SCHEMES = java.util.Set.of("redis", "rediss", "redis-sentinel");

    private Texts() {
    }

    /** Whether the text holds a control character. */
    public static boolean hasControl(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isISOControl(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The text with control characters, and invisible ones that reorder or hide text (right-to-left
     * overrides, zero-width spaces, line separators), shown as escapes: safe to put in a message or
     * a log line. Cut after 80 characters.
     */
    public static String printable(String text) {
        return printable(text, 80);
    }

    /** {@link #printable(String)}, cut after {@code limit} characters. */
    public static String printable(String text, int limit) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), limit));
        for (int i = 0; i < text.length() && i < limit; i++) {
            char c = text.charAt(i);
            int type = Character.getType(c);
            if (Character.isISOControl(c) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return text.length() > limit ? out.append("…").toString() : out.toString();
    }

    /**
     * The URL's user info, or {@code null}. Also when {@link URI} did not parse the authority as a
     * host (an {@code _} in the host name): its {@code getRawUserInfo()} is then {@code null}, but the
     * authority still holds {@code user:password@}.
     */
    static String userInfo(URI url) {
        if (url.getScheme() != null && CACHE_SCHEMES.contains(url.getScheme().toLowerCase(java.util.Locale.ROOT))) {
            // a redis password may hold '/', '?' or '#', which URI reads as path, query or fragment:
            // the user info is everything up to the last '@' (no other part of such a URL has one)
            String text = url.toString();
            int start = text.indexOf("://") + 3;
            int at = text.lastIndexOf('@');
            return start < 3 || at < start ? null : text.substring(start, at);
        }
        if (url.getRawUserInfo() != null) {
            return url.getRawUserInfo();
        }
        String authority = url.getRawAuthority();
        int at = authority == null ? -1 : authority.lastIndexOf('@');
        return at < 0 ? null : authority.substring(0, at);
    }

    /** The URL without its user info ({@code userInfo}, as {@link #userInfo(URI)} found it). */
    public static URI withoutUserInfo(URI url, String userInfo) {
        String text = url.toString();
        int start = text.indexOf("://") + 3;
        try {
            return new URI(text.substring(0, start) + text.substring(start + userInfo.length() + 1));
        } catch (java.net.URISyntaxException e) {
            return URI.create(text.substring(0, start) + "invalid-url-after-its-credentials");
        }
    }

    /** {@link #userInfo(URI)}, for the model's own use. */
    public static String rawUserInfo(URI url) {
        return userInfo(url);
    }

    /** The URL without user info, query or fragment, for messages. */
    public static String redacted(URI url) {
        String text = url.toString();
        String userInfo = userInfo(url);
        if (userInfo != null) {
            text = text.replace(userInfo + "@", "****@");
            if (url.getScheme() != null && CACHE_SCHEMES.contains(url.getScheme().toLowerCase(java.util.Locale.ROOT))) {
                return text;     // what URI took for a query or fragment was part of the password
            }
        }
        if (url.getRawFragment() != null) {
            text = text.substring(0, text.lastIndexOf('#') + 1) + "****";
        }
        if (url.getRawQuery() != null) {
            int query = text.indexOf('?');
            int fragment = text.indexOf('#', query);
            text = text.substring(0, query + 1) + "****" + (fragment < 0 ? "" : text.substring(fragment));
        }
        return text;
    }
}
