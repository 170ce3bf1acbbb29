package dev.backendrouter.samples.quickstart;

import dev.backendrouter.router.BackendRouter;
import dev.backendrouter.router.BackendRoutingIOException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import okhttp3.OkHttpClient;

/** Scene 2: writes land on the shard their key names; a call without a usable key fails before any I/O. */
final class ShardScene implements Scene {
    static final List<String> USERS = List.of("alice", "bob", "mike", "nina", "oscar", "zoe");

    @Override
    public String title() {
        return "Shards: every key lands on its shard";
    }

    @Override
    public Result run(TourContext tour) throws Exception {
        Console console = tour.console();
        SimulatedBackend aToM = tour.backend("users-a-m");
        SimulatedBackend nToZ = tour.backend("users-n-z");
        console.line("group users: users-a-m (SHARD, keys a–m) and users-n-z (SHARD, keys n–z), each with a READ_REPLICA");
        boolean allRight = true;
        List<List<String>> rows = new ArrayList<>();
        try (BackendRouter router = tour.openRouter(new TourListener())) {
            OkHttpClient http = router.httpClient();
            for (String user : USERS) {
                Http.Reply reply = Http.put(http, "http://users/users/" + user, user,
                        "{\"name\":\"" + user + "\",\"email\":\"" + user + "@example.com\"}");
                String landedOn = aToM.get("/users/" + user) != null ? aToM.name()
                        : nToZ.get("/users/" + user) != null ? nToZ.name() : "nowhere";
                String expected = user.charAt(0) <= 'm' ? aToM.name() : nToZ.name();
                boolean right = reply.ok() && landedOn.equals(expected);
                allRight &= right;
                rows.add(List.of(user, "PUT /users/" + user, "HTTP " + reply.status(), landedOn, right ? "PASS" : "FAIL"));
            }
            console.table(List.of("key", "call", "answer", "stored on", ""), rows);

            long before = aToM.requests() + nToZ.requests();
            String noKey = routerError(http, "http://users/users/alice", null);
            String noShard = routerError(http, "http://users/users/42", "42");
            long sent = aToM.requests() + nToZ.requests() - before;
            console.line("without a routing key:");
            console.detail(noKey);
            console.line("with the key \"42\" (digits sort before letters; no shard owns them):");
            console.detail(noShard);
            console.line(sent == 0 ? "neither call reached a backend" : sent + " requests reached a backend");
            boolean errorsClear = noKey.startsWith("MissingRoutingKeyException") && noShard.startsWith("NoShardForKeyException")
                    && sent == 0;
            boolean passed = allRight && errorsClear;
            console.verdict(passed, passed ? "every key on its shard; clear errors, thrown before any I/O"
                    : !allRight ? "a key landed on the wrong shard"
                    : "expected MissingRoutingKeyException and NoShardForKeyException before any request");
            return new Result(passed, "keys on their shards; clear error without a shard",
                    USERS.size() + " keys placed right: " + allRight + "; errors before I/O: " + errorsClear);
        }
    }

    /** The router's exception for a call that cannot be routed, as {@code SimpleName: message}. */
    private static String routerError(OkHttpClient http, String url, String key) {
        try {
            Http.Reply reply = Http.get(http, url, key);
            return "no error: HTTP " + reply.status();
        } catch (BackendRoutingIOException e) {
            return e.routerException().getClass().getSimpleName() + ": " + e.routerException().getMessage();
        } catch (IOException e) {
            return "unexpected " + e;
        }
    }
}
