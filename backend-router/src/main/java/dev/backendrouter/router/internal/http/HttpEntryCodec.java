package dev.backendrouter.router.internal.http;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Locale;
import java.util.Set;
import okhttp3.Headers;
import okhttp3.MediaType;
import okhttp3.Protocol;

/**
 * An HTTP answer as a cache member served by a connector holds it: status, the end-to-end headers
 * and the body, behind a format mark so that anything else under the key reads as garbage, not as
 * an answer. Hop-by-hop headers and the router's own are not kept.
 */
final class HttpEntryCodec {
    private static final int MAGIC = 0x42524832;   // "BRH2": an answer and when it was stored
    private static final Set<String> NOT_KEPT = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "set-cookie",
            CachedResponse.CACHE_HEADER.toLowerCase(Locale.ROOT));

    private HttpEntryCodec() {
    }

    /** Whether the answer may be kept in a cache shared by every caller: one that sets a cookie is someone's own. */
    static boolean shareable(CachedResponse answer) {
        return answer.headers().get("Set-Cookie") == null;
    }

    /** An answer read back, and when (wall-clock milliseconds) it was stored: its age counts against its max-age. */
    record Entry(CachedResponse answer, long storedAtMillis) {
        /** How long the answer stays fresh from now by its own {@code max-age}; {@link Long#MAX_VALUE} without one. */
        long freshNanos(long nowMillis) {
            long maxAge = answer.headers().get("Cache-Control") == null ? -1
                    : okhttp3.CacheControl.parse(answer.headers()).maxAgeSeconds();
            if (maxAge < 0) {
                return Long.MAX_VALUE;
            }
            long ageMillis = Math.max(0, nowMillis - storedAtMillis);
            return Math.max(0, java.util.concurrent.TimeUnit.SECONDS.toNanos(maxAge) - java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(ageMillis));
        }
    }

    /** The bytes to store, or {@code null} when a header is too long to keep (64 KiB). */
    static byte[] encode(CachedResponse answer, long storedAtMillis) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(answer.body().length + 256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeLong(storedAtMillis);
            out.writeShort(answer.code());
            out.writeUTF(answer.message());
            Headers headers = answer.headers();
            int kept = 0;
            for (int i = 0; i < headers.size(); i++) {
                kept += NOT_KEPT.contains(headers.name(i).toLowerCase(Locale.ROOT)) ? 0 : 1;
            }
            out.writeShort(kept);
            for (int i = 0; i < headers.size(); i++) {
                if (!NOT_KEPT.contains(headers.name(i).toLowerCase(Locale.ROOT))) {
                    out.writeUTF(headers.name(i));
                    out.writeUTF(headers.value(i));
                }
            }
            out.writeInt(answer.body().length);
            out.write(answer.body());
        } catch (java.io.UTFDataFormatException e) {
            return null;
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        return bytes.toByteArray();
    }

    /** The answer, or an {@link IOException} saying why the bytes are not one. */
    static Entry decode(byte[] bytes) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            if (bytes.length < 4 || in.readInt() != MAGIC) {
                throw new IOException("the value is not an answer cached by Backend Router (" + bytes.length + " bytes)");
            }
            long storedAt = in.readLong();
            int code = in.readUnsignedShort();
            String message = in.readUTF();
            int count = in.readUnsignedShort();
            Headers.Builder headers = new Headers.Builder();
            for (int i = 0; i < count; i++) {
                headers.addUnsafeNonAscii(in.readUTF(), in.readUTF());
            }
            int length = in.readInt();
            if (code < 100 || code > 599 || length < 0 || length != in.available()) {
                throw new IOException("the cached answer is damaged (status " + code + ", body " + length + " of "
                        + in.available() + " bytes)");
            }
            byte[] body = in.readNBytes(length);
            Headers built = headers.build();
            String type = built.get("Content-Type");
            MediaType contentType = type == null ? null : MediaType.parse(type);
            return new Entry(new CachedResponse(code, message, Protocol.HTTP_1_1, built, contentType, body), storedAt);
        } catch (java.io.EOFException | java.io.UTFDataFormatException | IllegalArgumentException e) {
            throw new IOException("the cached answer is damaged: " + e.getMessage(), e);
        }
    }
}
