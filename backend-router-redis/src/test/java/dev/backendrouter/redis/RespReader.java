package dev.backendrouter.redis;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Reads one RESP reply as text (arrays joined by newlines, a null bulk as {@code null}): enough for test checks. */
final class RespReader {
    private final InputStream in;

    RespReader(InputStream in) {
        this.in = in;
    }

    String read() throws IOException {
        String line = line();
        char type = line.charAt(0);
        String rest = line.substring(1);
        switch (type) {
            case '+', '-', ':':
                return rest;
            case '$': {
                int length = Integer.parseInt(rest);
                if (length < 0) {
                    return null;
                }
                byte[] bytes = in.readNBytes(length + 2);
                return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
            }
            case '*': {
                int count = Integer.parseInt(rest);
                StringBuilder all = new StringBuilder();
                for (int i = 0; i < count; i++) {
                    all.append(i == 0 ? "" : "\n").append(read());
                }
                return all.toString();
            }
            default:
                throw new IOException("not a RESP reply: " + line);
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int previous = -1;
        for (int b = in.read(); b >= 0; b = in.read()) {
            if (previous == '\r' && b == '\n') {
                byte[] all = bytes.toByteArray();
                return new String(all, 0, all.length - 1, StandardCharsets.ISO_8859_1);
            }
            bytes.write(b);
            previous = b;
        }
        throw new IOException("the connection closed mid-reply");
    }
}
