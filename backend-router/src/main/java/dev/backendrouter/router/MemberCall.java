package dev.backendrouter.router;

import dev.backendrouter.api.BackendMember;

/**
 * One attempt of a generic call on the member the router picked: use its URL, name, labels and
 * credentials with any client (JDBC, Redis, gRPC).
 *
 * <pre>{@code
 * User user = router.group("users").read(RoutingKey.of("alice"), member -> daoFor(member.url()).find("alice"));
 * }</pre>
 *
 * Throw {@link dev.backendrouter.api.NotFoundException} to say the member has no such item. Any
 * other exception is a failed attempt: a read then moves on to another member; a write does
 * only when it is idempotent or the failure shows the backend was never reached (a
 * {@link java.net.ConnectException} anywhere in the cause chain).
 *
 * @param <T> what the call returns
 */
@FunctionalInterface
public interface MemberCall<T> {
    T call(BackendMember member) throws Exception;
}
