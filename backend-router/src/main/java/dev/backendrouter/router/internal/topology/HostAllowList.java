package dev.backendrouter.router.internal.topology;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The hosts a registry may send calls to: names ({@code files.internal}), name suffixes
 * ({@code *.svc.cluster.local}), IP addresses and CIDR blocks ({@code 10.0.0.0/8},
 * {@code fd00::/8}). A member addressed by name matches only name entries: names are never
 * resolved, since what a name resolves to can change after the check.
 */
public final class HostAllowList {
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-f]*:[0-9a-f:.]*");
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");

    private final List<String> entries;
    private final List<String> names = new ArrayList<>();
    private final List<String> suffixes = new ArrayList<>();
    private final List<byte[]> networks = new ArrayList<>();
    private final List<Integer> prefixes = new ArrayList<>();

    private HostAllowList(List<String> entries) {
        this.entries = java.util.Collections.unmodifiableList(new ArrayList<>(entries));
    }

    /**
     * Parses the entries.
     *
     * @throws IllegalArgumentException naming the first entry that is none of the accepted forms
     */
    public static HostAllowList of(List<String> entries) {
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("an allow-list of hosts needs at least one entry");
        }
        HostAllowList list = new HostAllowList(entries);
        for (String raw : entries) {
            String entry = raw == null ? "" : raw.trim().toLowerCase(Locale.ROOT);
            int slash = entry.indexOf('/');
            byte[] address = literal(slash < 0 ? entry : entry.substring(0, slash));
            if (address != null) {
                int bits = address.length * 8;
                int prefix = slash < 0 ? bits : prefix(entry.substring(slash + 1), bits, raw);
                list.networks.add(address);
                list.prefixes.add(prefix);
            } else if (entry.startsWith("*.") && NAME.matcher(entry.substring(2)).matches()) {
                list.suffixes.add(entry.substring(1));
            } else if (NAME.matcher(stripDot(entry)).matches()) {
                list.names.add(stripDot(entry));
            } else {
                throw new IllegalArgumentException("'" + raw + "' is not a host name, '*.' name suffix, IP address or CIDR block"
                        + " (such as files.internal, *.svc.cluster.local, 10.0.0.0/8)");
            }
        }
        return list;
    }

    /** Whether a member at this URL may be called. */
    public boolean allows(URI url) {
        String host = url.getHost();
        if (host == null) {
            return false;
        }
        host = stripDot(host.toLowerCase(Locale.ROOT));
        byte[] address = literal(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
        if (address == null) {
            String name = host;
            return names.contains(name) || suffixes.stream().anyMatch(name::endsWith);
        }
        for (int i = 0; i < networks.size(); i++) {
            if (inNetwork(address, networks.get(i), prefixes.get(i))) {
                return true;
            }
        }
        return false;
    }

    /** The entries as given, for messages. */
    public List<String> entries() {
        return entries;
    }

    private static boolean inNetwork(byte[] address, byte[] network, int prefix) {
        if (address.length != network.length) {
            return false;
        }
        for (int bit = 0; bit < prefix; bit++) {
            int mask = 0x80 >>> (bit % 8);
            if ((address[bit / 8] & mask) != (network[bit / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    /** The address of an IP literal, without any name lookup; {@code null} for a name. */
    private static byte[] literal(String host) {
        if (!IPV4.matcher(host).matches() && !IPV6.matcher(host).matches()) {
            return null;
        }
        try {
            return InetAddress.getByName(host).getAddress();   // a literal: parsed, never looked up
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static int prefix(String bits, int max, String raw) {
        try {
            int prefix = Integer.parseInt(bits);
            if (prefix >= 0 && prefix <= max) {
                return prefix;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("'" + raw + "' has a prefix length outside 0-" + max);
    }

    private static String stripDot(String host) {
        return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    }
}
