package dev.backendrouter.router.internal.cache;

import dev.backendrouter.router.CacheCodec;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A generic value on a shared cache member: a format mark, the value's type name and the codec's
 * bytes. An entry is decoded only as the type the read names, or as a plain type when it names
 * none — never as a class the cache's content names.
 */
final class ValueEnvelope {
    private static final int MAGIC = 0x42525631;   // "BRV1"
    private static final Map<String, Class<?>> PLAIN = Map.of(
            String.class.getName(), String.class, Integer.class.getName(), Integer.class,
            Long.class.getName(), Long.class, Double.class.getName(), Double.class, Float.class.getName(), Float.class,
            Short.class.getName(), Short.class, Boolean.class.getName(), Boolean.class,
            BigInteger.class.getName(), BigInteger.class, BigDecimal.class.getName(), BigDecimal.class);

    /** What an entry held for another type reads as: a miss, not a failure. */
    static final Object OTHER_TYPE = new Object();

    private ValueEnvelope() {
    }

    /** Why a value is not written to a shared cache member. */
    static final class NotKept extends Exception {
        NotKept(String message) {
            super(message, null, false, false);
        }
    }

    static byte[] encode(CacheCodec codec, Object value, Class<?> declared) throws Exception {
        Class<?> type = declared != null ? declared : PLAIN.get(value.getClass().getName());
        if (type == null) {
            throw new NotKept("a " + value.getClass().getName() + " is cached in a shared cache only when the read names "
                    + "its type: CallOptions.withCacheKey(key, " + value.getClass().getSimpleName() + ".class)");
        }
        if (!type.isInstance(value)) {
            throw new NotKept("the read names type " + type.getName() + " but its value is a " + value.getClass().getName());
        }
        byte[] body = codec.encode(value);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(body.length + 64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeUTF(type.getName());
            out.write(body);
        }
        return bytes.toByteArray();
    }

    /** The value, {@link #OTHER_TYPE}, or an {@link IOException} when the bytes are not an entry of ours. */
    static Object decode(CacheCodec codec, byte[] bytes, Class<?> declared) throws Exception {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        if (bytes.length < 6 || in.getInt() != MAGIC) {
            throw new IOException("the value is not one cached by Backend Router (" + bytes.length + " bytes)");
        }
        int nameLength = Short.toUnsignedInt(in.getShort());
        if (nameLength > in.remaining()) {
            throw new IOException("the cached value is damaged");
        }
        String name = new String(bytes, in.position(), nameLength, StandardCharsets.UTF_8);
        int start = in.position() + nameLength;
        Class<?> type = declared != null ? (declared.getName().equals(name) ? declared : null) : PLAIN.get(name);
        if (type == null) {
            return OTHER_TYPE;
        }
        return codec.decode(java.util.Arrays.copyOfRange(bytes, start, bytes.length), type);
    }
}
