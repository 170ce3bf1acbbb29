package dev.backendrouter.router;

import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * How generic values ({@link CallOptions#withCacheKey}) become bytes on a shared cache member
 * ({@code redis://}) and back. The default, {@link #json()}, is Jackson.
 *
 * <pre>{@code
 * BackendRouter.builder()
 *     .topology(source)
 *     .cacheCodec(CacheCodec.json(JsonMapper.builder().findAndAddModules().build()))
 *     .build();
 *
 * User alice = router.group("users").read(RoutingKey.of("alice"),
 *     CallOptions.defaults().withCacheKey("user:alice", User.class), member -> dao(member).find("alice"));
 * }</pre>
 *
 * The router keeps the value's type beside the bytes and decodes an entry only as the type the
 * read names (or, for a read that names none, as a {@code String}, number or boolean): never as
 * a class named by what the cache holds.
 */
public interface CacheCodec {

    /** The value's bytes. */
    byte[] encode(Object value) throws Exception;

    /** A value of {@code type} from bytes {@link #encode} made. */
    <T> T decode(byte[] bytes, Class<T> type) throws Exception;

    /** JSON with a plain Jackson mapper. */
    static CacheCodec json() {
        return json(JsonMapper.builder().build());
    }

    /** JSON with the application's own mapper (its modules, naming, dates). */
    static CacheCodec json(ObjectMapper mapper) {
        java.util.Objects.requireNonNull(mapper, "mapper");
        return new CacheCodec() {
            @Override
            public byte[] encode(Object value) {
                return mapper.writeValueAsBytes(value);
            }

            @Override
            public <T> T decode(byte[] bytes, Class<T> type) {
                return mapper.readValue(bytes, type);
            }

            @Override
            public String toString() {
                return "CacheCodec.json()";
            }
        };
    }
}
