package dev.backendrouter.samples.quickstart;

import dev.backendrouter.router.BackendRouter;
import okhttp3.OkHttpClient;

/** Scene 4: reads go to the replicas; a caller's read after its own write goes to the shard's primary. */
final class ReplicaScene implements Scene {
    private static final int READS = 300;

    @Override
    public String title() {
        return "Replica reads and read-your-writes";
    }

    @Override
    public Result run(TourContext tour) throws Exception {
        Console console = tour.console();
        SimulatedBackend aToM = tour.backend("users-a-m");
        SimulatedBackend nToZ = tour.backend("users-n-z");
        SimulatedBackend aToMReplica = tour.backend("users-a-m-replica");
        SimulatedBackend nToZReplica = tour.backend("users-n-z-replica");
        aToMReplica.copyFrom(aToM);
        nToZReplica.copyFrom(nToZ);
        console.line("the replicas copied their shards; reads of users default to REPLICA_PREFERRED");
        try (BackendRouter router = tour.openRouter(new TourListener())) {
            OkHttpClient http = router.httpClient();
            for (SimulatedBackend b : new SimulatedBackend[] {aToM, nToZ, aToMReplica, nToZReplica}) {
                b.resetCounts();
            }
            Load reads = Load.run(4, READS, n -> {
                String user = ShardScene.USERS.get((int) (n % ShardScene.USERS.size()));
                try {
                    return Http.get(http, "http://users/users/" + user, user).ok();
                } catch (java.io.IOException e) {
                    return false;
                }
            });
            long onReplicas = aToMReplica.requests() + nToZReplica.requests();
            long onPrimaries = aToM.requests() + nToZ.requests();
            console.line(String.format("%d reads: %d answered by the replicas, %d by the shard primaries, %d failed",
                    reads.done(), onReplicas, onPrimaries, reads.failed()));

            String newAlice = "{\"name\":\"alice\",\"email\":\"alice@new.example.com\"}";
            Http.Reply write = Http.put(http, "http://users/users/alice", "alice", newAlice);
            long primaryBefore = aToM.requests();
            Http.Reply own = Http.get(http, "http://users/users/alice", "alice");
            boolean ownFromPrimary = aToM.requests() == primaryBefore + 1;
            boolean replicaStale = !newAlice.equals(aToMReplica.get("/users/alice"));
            long replicaBefore = aToMReplica.requests();
            Http.Reply other = Http.get(http, "http://users/users/bob", "bob");
            boolean otherFromReplica = aToMReplica.requests() == replicaBefore + 1;
            console.line("PUT /users/alice (a new email) → HTTP " + write.status() + " on users-a-m; the replica has not caught up");
            console.line("GET /users/alice right after → " + own.body() + (ownFromPrimary ? " from users-a-m, the primary" : ""));
            console.line("GET /users/bob → HTTP " + other.status() + (otherFromReplica ? " from users-a-m-replica: other keys keep reading replicas" : ""));

            boolean replicasServed = reads.failed() == 0 && onReplicas == reads.done();
            boolean readYourWrites = write.ok() && newAlice.equals(own.body()) && ownFromPrimary && replicaStale && otherFromReplica;
            boolean passed = replicasServed && readYourWrites;
            console.verdict(passed, passed ? "replicas take the reads; a caller sees its own write at once"
                    : "replicas served " + onReplicas + "/" + reads.done() + ", read-your-writes " + readYourWrites);
            return new Result(passed, "reads on replicas; own write visible",
                    String.format("%d/%d reads on replicas; own write read back: %s", onReplicas, reads.done(), readYourWrites));
        }
    }
}
