package dev.backendrouter.cli;

import dev.backendrouter.api.BackendAuth;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import okhttp3.OkHttpClient;

/**
 * The probe of a {@code redis://} or {@code rediss://} cache member: {@code AUTH} when it has a
 * password, then {@code PING}, as the router's health check does. A {@code redis-sentinel://}
 * member's first sentinel is pinged.
 */
final class RedisPing {
    private RedisPing() {
    }

    static Probe.Result ping(OkHttpClient client, URI base, BackendAuth auth, Duration timeout) {
        long start = System.nanoTime();
        String scheme = base.getScheme().toLowerCase(Locale.ROOT);
        String authority = base.getRawAuthority();
        String first = authority.split(",")[0];
        int colon = first.lastIndexOf(':');
        boolean hasPort = colon > first.lastIndexOf(']');
        String host = hasPort ? first.substring(0, colon) : first;
        int port = hasPort ? Integer.parseInt(first.substring(colon + 1)) : scheme.equals("redis-sentinel") ? 26379 : 6379;
        host = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        int millis = (int) Math.max(1, timeout.toMillis());
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), millis);
            socket.setSoTimeout(millis);
            Socket wire = socket;
            if (scheme.equals("rediss")) {
                SSLSocket tls = (SSLSocket) client.sslSocketFactory().createSocket(socket, host, port, true);
                SSLParameters parameters = tls.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");    // the host name is checked, as the router does
                tls.setSSLParameters(parameters);
                tls.startHandshake();
                wire = tls;
            }
            OutputStream out = wire.getOutputStream();
            InputStream in = wire.getInputStream();
            boolean sentinel = scheme.equals("redis-sentinel");
            if (auth instanceof BackendAuth.Password password && !sentinel) {
                out.write(password.username() == null ? command("AUTH", password.password().reveal())
                        : command("AUTH", password.username(), password.password().reveal()));
                String answer = line(in);
                if (!answer.startsWith("+")) {
                    return new Probe.Result(-1, null, millisSince(start), "the password was refused ("
                            + answer.substring(1).split(" ")[0] + ")");
                }
            }
            out.write(command("PING"));
            String answer = line(in);
            if (!answer.equals("+PONG")) {
                return new Probe.Result(-1, null, millisSince(start), "PING answered " + answer.substring(0, Math.min(60, answer.length())));
            }
            return new Probe.Result(0, sentinel ? "PONG (sentinel)" : "PONG", millisSince(start), null);
        } catch (IOException | RuntimeException e) {
            return new Probe.Result(-1, null, millisSince(start), Probe.describe(e, base, timeout));
        }
    }

    private static byte[] command(String... words) {
        StringBuilder out = new StringBuilder("*" + words.length + "\r\n");
        for (String word : words) {
            out.append('$').append(word.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(word).append("\r\n");
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
            if (b != '\r' && bytes.size() < 512) {
                bytes.write(b);
            }
        }
        return bytes.size() == 0 ? "-no answer" : bytes.toString(StandardCharsets.UTF_8);
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
