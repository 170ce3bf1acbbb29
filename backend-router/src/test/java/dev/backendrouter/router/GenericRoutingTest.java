package dev.backendrouter.router;

import static dev.backendrouter.api.BackendRole.ARCHIVE;
import static dev.backendrouter.api.BackendRole.BACKUP;
import static dev.backendrouter.api.BackendRole.PRIMARY;
import static dev.backendrouter.api.BackendRole.READ_REPLICA;
import static dev.backendrouter.api.BackendRole.SHARD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backendrouter.api.Attempt;
import dev.backendrouter.api.BackendCallException;
import dev.backendrouter.api.BackendMember;
import dev.backendrouter.api.BackendRole;
import dev.backendrouter.api.BackendRouterException;
import dev.backendrouter.api.DeadlineExceededException;
import dev.backendrouter.api.MissingRoutingKeyException;
import dev.backendrouter.api.NoBackendAvailableException;
import dev.backendrouter.api.NoShardForKeyException;
import dev.backendrouter.api.NotFoundException;
import dev.backendrouter.api.RoutingKey;
import dev.backendrouter.api.Topology;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Routing decisions of the generic front door: the function is the caller's client, here one
 * that answers per member, so each rule can be checked exactly (the HTTP tests check the same
 * rules against real servers).
 */
class GenericRoutingTest {
    private final FakeTicker now = new FakeTicker();
    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());

    private static BackendMember member(String name, BackendRole role, int priority) {
        return BackendMember.builder(name, "http://localhost:1/" + name).role(role).priority(priority).build();
    }

    private BackendRouter router(BackendMember... members) {
        return BackendRouter.builder().topology(Topology.builder().service("svc").group("g", members).build())
                .ticker(now).random(new Random(7)).build();
    }

    /** A client that records which member it was called on and answers from {@code answers}. */
    private MemberCall<String> client(Map<String, Object> answers) {
        return member -> {
            calls.add(member.name());
            Object answer = answers.getOrDefault(member.name(), "from " + member.name());
            if (answer instanceof Exception e) {
                throw e;
            }
            return (String) answer;
        };
    }

    @Test
    void readsGoToThePrimaryAndFailOverToTheBackup() {
        try (BackendRouter router = router(member("p", PRIMARY, 1), member("b", BACKUP, 2))) {
            RoutedGroup group = router.group("g");
            assertThat(group.read(null, client(Map.of()))).isEqualTo("from p");
            assertThat(group.read(null, client(Map.of("p", new java.io.IOException("reset"))))).isEqualTo("from b");
            assertThat(calls).containsExactly("p", "p", "b");
            assertThat(router.snapshot().groups().get(0).members()).extracting(RouterSnapshot.MemberSnapshot::failures)
                    .containsExactly(1L, 0L);
        }
    }

    @Test
    void lowerPriorityNumbersComeFirstAndFailBackIsNatural() {
        try (BackendRouter router = router(member("p2", PRIMARY, 2), member("p1", PRIMARY, 1))) {
            RoutedGroup group = router.group("g");
            assertThat(group.read(null, client(Map.of("p1", new ConnectException("refused"))))).isEqualTo("from p2");
            assertThat(group.read(null, client(Map.of()))).isEqualTo("from p1");
        }
    }

    @Test
    void notFoundWalksTheHotTiersThenAsksTheArchive() {
        try (BackendRouter router = router(member("r", READ_REPLICA, 1), member("p", PRIMARY, 1),
                member("b", BACKUP, 2), member("a", ARCHIVE, 1))) {
            NotFoundException missing = new NotFoundException("no file 42");
            String value = router.group("g").read(null, client(Map.of("r", missing, "p", missing, "b", missing)));
            assertThat(value).isEqualTo("from a");
            assertThat(calls).containsExactly("r", "p", "b", "a");
        }
    }

    @Test
    void theArchiveIsNotAskedWhenTheHotTiersFailedWithoutANotFound() {
        try (BackendRouter router = router(member("p", PRIMARY, 1), member("a", ARCHIVE, 1))) {
            assertThatThrownBy(() -> router.group("g").read(null, client(Map.of("p", new java.io.IOException("boom")))))
                    .isInstanceOfSatisfying(NoBackendAvailableException.class, e -> {
                        assertThat(e.attempts()).extracting(Attempt::member, Attempt::tried).containsExactly(
                                org.assertj.core.groups.Tuple.tuple("p", true), org.assertj.core.groups.Tuple.tuple("p", true),
                                org.assertj.core.groups.Tuple.tuple("p", true), org.assertj.core.groups.Tuple.tuple("a", false));
                        assertThat(e.getMessage()).contains("a (http://localhost:1/a): not tried: the archive is asked only "
                                + "when the hot tiers answered not found");
                    });
            assertThat(calls).as("retried after a backoff, never the archive").containsExactly("p", "p", "p");
        }
    }

    @Test
    void aNotFoundFromAReplicaDoesNotHideAPrimaryThatIsDown() {
        try (BackendRouter router = router(member("r", READ_REPLICA, 1), member("p", PRIMARY, 1), member("a", ARCHIVE, 1))) {
            NotFoundException missing = new NotFoundException("no file 42");
            assertThatThrownBy(() -> router.group("g").read(null, client(Map.of("r", missing, "p", new ConnectException("refused")))))
                    .isInstanceOfSatisfying(NoBackendAvailableException.class, e -> assertThat(e.attempts())
                            .extracting(Attempt::member, Attempt::outcome).containsExactly(
                                    org.assertj.core.groups.Tuple.tuple("r", "not found"),
                                    org.assertj.core.groups.Tuple.tuple("p", "connection refused: is p running, and is the URL right?"),
                                    org.assertj.core.groups.Tuple.tuple("a", "not tried: the archive is asked only when the "
                                            + "hot tiers answered not found")));
            assertThat(calls).containsExactly("r", "p");
        }
    }

    @Test
    void aFailureForgivenByAnotherMembersAnswerStillOpensTheArchive() {
        try (BackendRouter router = router(member("p1", PRIMARY, 1), member("p2", PRIMARY, 1), member("a", ARCHIVE, 1))) {
            NotFoundException missing = new NotFoundException("no file 42");
            java.io.IOException down = new java.io.IOException("down");
            for (int i = 0; i < 10; i++) {
                calls.clear();
                assertThat(router.group("g").read(null, client(Map.of("p1", down, "p2", missing)))).isEqualTo("from a");
                assertThat(calls).endsWith("p2", "a");
            }
        }
    }

    @Test
    void anErrorInACallLeavesNothingInFlight() {
        try (BackendRouter router = router(member("p", PRIMARY, 1))) {
            assertThatThrownBy(() -> router.group("g").read(null, member -> {
                throw new AssertionError("bug in the caller");
            })).isInstanceOf(AssertionError.class);
            assertThat(router.snapshot().groups().get(0).members().get(0).inFlight()).isZero();
        }
    }

    @Test
    void notFoundEverywhereGivesTheCallerItsOwnException() {
        try (BackendRouter router = router(member("p", PRIMARY, 1), member("a", ARCHIVE, 1))) {
            NotFoundException missing = new NotFoundException("no file 42");
            assertThatThrownBy(() -> router.group("g").read(null, client(Map.of("p", missing, "a", missing))))
                    .isSameAs(missing);
        }
    }

    @Test
    void writesNeverTouchReplicasOrArchives() {
        try (BackendRouter router = router(member("r", READ_REPLICA, 1), member("p", PRIMARY, 1),
                member("a", ARCHIVE, 1))) {
            assertThatThrownBy(() -> router.group("g").write(null, client(Map.of("p", new ConnectException("refused")))))
                    .isInstanceOf(NoBackendAvailableException.class);
            assertThat(calls).containsOnly("p");
        }
    }

    @Test
    void aNonIdempotentWriteThatMayHaveArrivedIsNotSentAgain() {
        try (BackendRouter router = router(member("p", PRIMARY, 1), member("b", BACKUP, 2))) {
            java.io.IOException reset = new java.io.IOException("connection reset");
            assertThatThrownBy(() -> router.group("g").write(null, client(Map.of("p", reset))))
                    .isInstanceOfSatisfying(BackendCallException.class, e -> {
                        assertThat(e).isNotInstanceOf(NoBackendAvailableException.class).hasCause(reset);
                        assertThat(e.getMessage()).contains("may have reached p, so it was not sent again");
                    });
            assertThat(calls).containsExactly("p");
            calls.clear();
            assertThat(router.group("g").write(null, CallOptions.defaults().withIdempotent(true), client(Map.of("p", reset))))
                    .isEqualTo("from b");
            calls.clear();
            assertThat(router.group("g").write(null, client(Map.of("p", new RuntimeException(new ConnectException("refused"))))))
                    .as("a write that never reached the backend moves on").isEqualTo("from b");
            assertThat(calls).containsExactly("p", "b");
        }
    }

    @Test
    void attemptsStopAtTheLimitAndNameEveryMember() {
        BackendRouter router = BackendRouter.builder().topology(Topology.builder().service("svc").group("g",
                        member("p1", PRIMARY, 1), member("p2", PRIMARY, 1), member("p3", PRIMARY, 1), member("b", BACKUP, 2))
                .build()).ticker(now).random(new Random(1)).maxAttempts(2).build();
        java.io.IOException down = new java.io.IOException("down");
        assertThatThrownBy(() -> router.group("g").read(null, client(Map.of("p1", down, "p2", down, "p3", down, "b", down))))
                .isInstanceOfSatisfying(NoBackendAvailableException.class, e -> {
                    assertThat(e.attempts()).hasSize(4);
                    assertThat(e.attempts().stream().filter(Attempt::tried)).hasSize(2);
                    assertThat(e.attempts().stream().filter(a -> !a.tried()).map(Attempt::outcome))
                            .containsOnly("not tried: the limit of 2 failed attempts was reached");
                    assertThat(e.getMessage()).startsWith("No backend of group 'g' could serve the read (PRIMARY) "
                            + "(the limit of 2 failed attempts was reached):").contains("): IOException: down (after 0 ms)");
                });
        assertThat(calls).hasSize(2).doesNotHaveDuplicates();
        router.close();
    }

    @Test
    void eachMemberIsTriedOnceWhileOthersRemain() {
        try (BackendRouter router = router(member("p1", PRIMARY, 1), member("p2", PRIMARY, 1), member("b", BACKUP, 2))) {
            java.io.IOException down = new java.io.IOException("down");
            assertThatThrownBy(() -> router.group("g").read(null, client(Map.of("p1", down, "p2", down, "b", down))))
                    .isInstanceOf(NoBackendAvailableException.class);
            assertThat(calls).hasSize(3).containsExactlyInAnyOrder("p1", "p2", "b").endsWith("b");
        }
    }

    @Test
    void shardedGroupsNeedAKeyThatAShardOwnsBeforeAnyCall() {
        Topology topology = Topology.builder().service("svc").group("users",
                BackendMember.builder("u1", "http://localhost:1").role(SHARD).routingKey("users-a-m").build(),
                BackendMember.builder("u2", "http://localhost:2").role(SHARD).routingKey("users-n-z").build()).build();
        try (BackendRouter router = BackendRouter.builder().topology(topology).build()) {
            RoutedGroup users = router.group("users");
            assertThat(users.read(RoutingKey.of("alice"), client(Map.of()))).isEqualTo("from u1");
            assertThat(users.read(RoutingKey.of("Zoe"), client(Map.of()))).isEqualTo("from u2");
            assertThatThrownBy(() -> users.read(null, client(Map.of()))).isInstanceOf(MissingRoutingKeyException.class)
                    .hasMessageContaining("Group 'users' is sharded: the call needs a routing key");
            assertThatThrownBy(() -> users.write(RoutingKey.of("7"), client(Map.of())))
                    .isInstanceOfSatisfying(NoShardForKeyException.class, e -> assertThat(e.key()).isEqualTo("7"))
                    .hasMessage("No shard of group 'users' owns routing key '7'; the shards are users-a-m, users-n-z "
                            + "(range keys compare lower-case, letter by letter)");
            assertThat(calls).containsExactly("u1", "u2");
        }
    }

    @Test
    void theDeadlineCoversEveryAttempt() {
        try (BackendRouter router = router(member("p", PRIMARY, 1), member("b", BACKUP, 2))) {
            MemberCall<String> slowThenFail = member -> {
                calls.add(member.name());
                now.addAndGet(Duration.ofMillis(700).toNanos());
                throw new java.io.IOException("timeout");
            };
            CallOptions options = CallOptions.defaults().withDeadline(Duration.ofMillis(500));
            assertThatThrownBy(() -> router.group("g").read(null, options, slowThenFail))
                    .isInstanceOfSatisfying(DeadlineExceededException.class, e -> {
                        assertThat(e.deadline()).isEqualTo(Duration.ofMillis(500));
                        assertThat(e.attempts()).extracting(Attempt::member).containsExactly("p", "b");
                        assertThat(e.attempts().get(0).duration()).isEqualTo(Duration.ofMillis(700));
                        assertThat(e.getMessage()).startsWith("Deadline of 500 ms for a call to group 'g' passed after 1 attempt(s)");
                    });
            assertThat(calls).containsExactly("p");
        }
    }

    @Test
    void weightsShareIdleTrafficWithinThreePercent() {
        BackendMember light = BackendMember.builder("light", "http://localhost:1").weight(100).build();
        BackendMember heavy = BackendMember.builder("heavy", "http://localhost:2").weight(300).build();
        try (BackendRouter router = router(light, heavy)) {
            int heavyCount = 0;
            for (int i = 0; i < 10_000; i++) {
                if (router.group("g").read(null, BackendMember::name).equals("heavy")) {
                    heavyCount++;
                }
            }
            assertThat(heavyCount / 10_000.0).isCloseTo(0.75, org.assertj.core.data.Offset.offset(0.03));
        }
    }

    @Test
    void powerOfTwoChoicesAvoidsTheSlowMember() {
        try (BackendRouter router = router(member("fast", PRIMARY, 1), member("slow", PRIMARY, 1))) {
            MemberCall<String> timed = member -> {
                now.addAndGet(Duration.ofMillis(member.name().equals("slow") ? 100 : 5).toNanos());
                return member.name();
            };
            int slow = 0;
            for (int i = 0; i < 1_000; i++) {
                if (router.group("g").read(null, timed).equals("slow")) {
                    slow++;
                }
            }
            // the draws are distinct: the slow member gets only the exploring picks (1 in 256) and its first call
            assertThat(slow).isBetween(1, 15);
        }
    }

    @Test
    void aTenTimesSlowerReplicaGetsUnderOnePercentOfReads() {
        try (BackendRouter router = router(member("r1", READ_REPLICA, 1), member("r2", READ_REPLICA, 1),
                member("r3", READ_REPLICA, 1), member("p", PRIMARY, 1))) {
            MemberCall<String> timed = member -> {
                now.addAndGet(Duration.ofMillis(member.name().equals("r3") ? 50 : 5).toNanos());
                return member.name();
            };
            int slow = 0;
            for (int i = 0; i < 10_000; i++) {
                if (router.group("g").read(null, timed).equals("r3")) {
                    slow++;
                }
            }
            assertThat(slow).as("its p99 is the healthy replicas' latency").isLessThan(100).isPositive();
        }
    }

    @Test
    void aMemberThatFailsFastDoesNotAttractTraffic() {
        CircuitBreakerConfig neverOpens = CircuitBreakerConfig.custom().failureRateThreshold(100).minimumNumberOfCalls(100_000)
                .slidingWindowSize(100_000).build();
        try (BackendRouter router = BackendRouter.builder().topology(Topology.builder().service("svc").group("g",
                member("dead", PRIMARY, 1), member("alive", PRIMARY, 1)).build())
                .ticker(now).random(new Random(7)).circuitBreakerConfig(neverOpens).retryBudget(1.0, 100).build()) {
            MemberCall<String> call = member -> {
                calls.add(member.name());
                now.addAndGet(Duration.ofMillis(member.name().equals("dead") ? 1 : 20).toNanos());
                if (member.name().equals("dead")) {
                    throw new ConnectException("refused");
                }
                return member.name();
            };
            for (int i = 0; i < 1_000; i++) {
                assertThat(router.group("g").read(null, call)).isEqualTo("alive");
            }
            // after its first failure the dead member is tried first only by the exploring picks (1 in 256)
            assertThat(calls.stream().filter("dead"::equals).count()).isBetween(1L, 15L);
        }
    }

    @Test
    void roundRobinTakesTurns() {
        try (BackendRouter router = BackendRouter.builder().topology(Topology.builder().service("svc").group("g",
                member("a", PRIMARY, 1), member("b", PRIMARY, 1), member("c", PRIMARY, 1)).build())
                .loadBalancing(LoadBalancing.ROUND_ROBIN).build()) {
            List<String> picks = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                picks.add(router.group("g").read(null, BackendMember::name));
            }
            assertThat(picks).containsExactly("a", "b", "c", "a", "b", "c");
        }
    }

    @Test
    void nearestPicksTheLowestLatencyEstimate() {
        try (BackendRouter router = router(member("r", READ_REPLICA, 1), member("p", PRIMARY, 1))) {
            MemberCall<String> timed = member -> {
                now.addAndGet(Duration.ofMillis(member.name().equals("r") ? 50 : 2).toNanos());
                return member.name();
            };
            CallOptions nearest = CallOptions.defaults().withReadPreference(ReadPreference.NEAREST);
            router.group("g").read(null, CallOptions.defaults().withReadPreference(ReadPreference.REPLICA), timed);
            router.group("g").read(null, CallOptions.defaults().withReadPreference(ReadPreference.PRIMARY), timed);
            int primary = 0;
            for (int i = 0; i < 400; i++) {
                if (router.group("g").read(null, nearest, timed).equals("p")) {
                    primary++;
                }
            }
            // all but the exploring picks (one in 16, half of which land on the primary anyway)
            assertThat(primary).isBetween(370, 400);
        }
    }

    @Test
    void readPreferencesOrderTheTiers() {
        try (BackendRouter router = router(member("r", READ_REPLICA, 1), member("p", PRIMARY, 1), member("b", BACKUP, 2))) {
            RoutedGroup group = router.group("g");
            java.io.IOException down = new java.io.IOException("down");
            Map<String, Object> allDown = Map.of("r", down, "p", down, "b", down);
            for (ReadPreference preference : ReadPreference.values()) {
                calls.clear();
                assertThatThrownBy(() -> group.read(null, CallOptions.defaults().withReadPreference(preference), client(allDown)))
                        .isInstanceOf(NoBackendAvailableException.class);
                List<String> expected = switch (preference) {
                    case PRIMARY -> List.of("p", "b");
                    case PRIMARY_PREFERRED -> List.of("p", "b", "r");
                    case REPLICA -> List.of("r");
                    case REPLICA_PREFERRED -> List.of("r", "p", "b");
                    case NEAREST -> calls;
                };
                assertThat(calls.subList(0, Math.min(calls.size(), expected.size()))).as(preference.name())
                        .containsExactlyElementsOf(expected);
            }
            calls.clear();
            assertThat(group.read(null, client(Map.of()))).as("replicas first by default").isEqualTo("from r");
        }
    }

    @Test
    void aReplicaReadWithoutReplicasSaysSo() {
        try (BackendRouter router = router(member("p", PRIMARY, 1))) {
            assertThatThrownBy(() -> router.group("g").read(null,
                    CallOptions.defaults().withReadPreference(ReadPreference.REPLICA), client(Map.of())))
                    .isInstanceOf(NoBackendAvailableException.class)
                    .hasMessageContaining("the plan has no members (a REPLICA read needs READ_REPLICA backends)");
        }
    }

    @Test
    void unknownGroupsAndClosedRoutersFailClearly() {
        BackendRouter router = router(member("p", PRIMARY, 1));
        assertThatThrownBy(() -> router.group("nope")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("No group 'nope' in the topology of svc; its groups are [g]");
        RoutedGroup group = router.group("g");
        router.close();
        router.close();
        assertThatThrownBy(() -> group.read(null, client(Map.of()))).isInstanceOf(BackendRouterException.class)
                .hasMessage("The router of svc is closed");
        assertThat(calls).isEmpty();
    }

    @Test
    void checkedExceptionsOfAFinalAttemptAreWrapped() {
        try (BackendRouter router = router(member("p", PRIMARY, 1))) {
            Thread.currentThread().interrupt();
            assertThatThrownBy(() -> router.group("g").read(null, member -> {
                throw new InterruptedException("stop");
            })).isInstanceOf(BackendCallException.class).hasCauseInstanceOf(InterruptedException.class);
            assertThat(Thread.interrupted()).isTrue();
        }
    }
}
