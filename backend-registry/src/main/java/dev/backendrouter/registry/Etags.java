package dev.backendrouter.registry;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Entity tags: a row's version for connections and deployments, a digest of the body for details. */
final class Etags {
    private Etags() {
    }

    static String of(String kind, long id, long version) {
        return "\"" + kind + id + "-" + version + "\"";
    }

    /** The same answer gives the same tag on every instance: the tag is a digest of its bytes. */
    static String ofBody(byte[] body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Refuses with 412 an {@code If-Match} that names another version ({@code *} and no header pass). */
    static void require(String ifMatch, String current) {
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.trim().equals("*")) {
            return;
        }
        for (String tag : ifMatch.split(",")) {
            String t = tag.trim();
            if (t.startsWith("W/")) {
                t = t.substring(2);
            }
            if (t.equals(current)) {
                return;
            }
        }
        throw ApiException.stale(current);
    }

    /** Whether {@code If-None-Match} names {@code current}. */
    static boolean matches(String ifNoneMatch, String current) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String tag : ifNoneMatch.split(",")) {
            String t = tag.trim();
            if (t.equals("*") || t.equals(current) || t.equals("W/" + current)) {
                return true;
            }
        }
        return false;
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
