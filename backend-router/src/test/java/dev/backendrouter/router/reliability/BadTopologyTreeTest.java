package dev.backendrouter.router.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backendrouter.api.TopologyException;
import dev.backendrouter.router.TopologySource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Trees handed to {@link TopologySource#fromTree} (configuration properties) that no file could
 * hold: a tree that contains itself, one nested 100,000 deep, one whose shared branches make a
 * million paths, a null key. Each is refused with a path, where Jackson would overflow its stack or throw.
 */
class BadTopologyTreeTest {

    private static Map<String, Object> topology(Object labels) {
        Map<String, Object> member = new LinkedHashMap<>();
        member.put("name", "fs-1");
        member.put("url", "http://localhost:4001");
        member.put("labels", labels);
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("service", "file-service");
        tree.put("groups", Map.of("storage", Map.of("backends", List.of(member))));
        return tree;
    }

    private static TopologyException refused(Map<String, ?> tree, String path) {
        Refusals.Outcome outcome = Refusals.load(() -> TopologySource.fromTree("backend-router.* properties", tree).load());
        assertThat(outcome.refusal()).as("loaded as %s", outcome.topology()).isNotNull();
        Refusals.assertWellFormed(outcome.refusal(), false, List.of());
        assertThat(Refusals.hasPath(outcome.refusal(), path)).as("a problem at %s in %s", path, outcome.refusal().getMessage()).isTrue();
        return outcome.refusal();
    }

    @Test
    void aTreeThatHoldsItselfIsRefused() {
        Map<String, Object> labels = new HashMap<>();
        labels.put("zone", labels);
        assertThat(refused(topology(labels), "groups.storage.backends[0].labels.zone*").getMessage()).contains("deeper than 32");
    }

    @Test
    void aTreeNested100000DeepIsRefused() {
        Object nested = "a";
        for (int i = 0; i < 100_000; i++) {
            nested = List.of(nested);
        }
        refused(topology(Map.of("zone", nested)), "groups.storage.backends[0].labels.zone[0]*");
    }

    @Test
    void sharedBranchesThatMakeTooManyPathsAreRefused() {
        Object shared = "a";
        for (int i = 0; i < 20; i++) {
            List<Object> pair = new ArrayList<>();
            pair.add(shared);
            pair.add(shared);
            shared = pair;
        }
        assertThat(refused(topology(Map.of("zone", shared)), "groups.storage.backends[0].labels.zone*").getMessage())
                .contains("more than 100000 values");
    }

    @Test
    void aNullKeyIsRefused() {
        Map<String, Object> labels = new HashMap<>();
        labels.put(null, "a");
        refused(topology(labels), "groups.storage.backends[0].labels.null");
    }
}
