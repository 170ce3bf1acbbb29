package dev.backendrouter.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ShardIndexTest {

    @Test
    void findsTheRegistryShards() {
        Topology topology = Topology.builder().service("s").group("users",
                BackendMember.builder("u2", "http://h:2").role(BackendRole.SHARD).routingKey("users-n-z").build(),
                BackendMember.builder("u1", "http://h:1").role(BackendRole.SHARD).routingKey("users-a-m").build()).build();
        ShardIndex index = ShardIndex.of(topology.group("users").orElseThrow());
        assertThat(index.ranges()).extracting(ShardRange::text).containsExactly("users-a-m", "users-n-z");
        assertThat(index.find(RoutingKey.of("alice")).text()).isEqualTo("users-a-m");
        assertThat(index.find(RoutingKey.of("Mike")).text()).isEqualTo("users-a-m");
        assertThat(index.find(RoutingKey.of("zoe")).text()).isEqualTo("users-n-z");
        assertThat(index.find(RoutingKey.of("7"))).isNull();
        assertThat(index.indexOf(RoutingKey.of("~tilde"))).isEqualTo(-1);
    }

    @Test
    void emptyIndexFindsNothing() {
        assertThat(ShardIndex.of(List.of()).find(RoutingKey.of("a"))).isNull();
    }

    @Test
    void agreesWithALinearScanOverManyRangesAndKeys() {
        Random random = new Random(42);
        List<ShardRange> keyRanges = new ArrayList<>();
        // 36 * 36 = 1,296 two-character ranges: "aa-aa", "ab-ab", ...
        String alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";
        for (char a : alphabet.toCharArray()) {
            for (char b : alphabet.toCharArray()) {
                if (random.nextInt(5) > 0) {
                    keyRanges.add(ShardRange.parse("k-" + a + b + "-" + a + b));
                }
            }
        }
        List<ShardRange> slotRanges = new ArrayList<>();
        for (int from = 0; from < RoutingKey.SLOT_COUNT; from += 16) {
            slotRanges.add(ShardRange.parse("k#" + from + "-" + (from + 15)));
        }
        ShardIndex keys = ShardIndex.of(keyRanges);
        ShardIndex slots = ShardIndex.of(slotRanges);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder key = new StringBuilder();
            int length = 1 + random.nextInt(6);
            for (int c = 0; c < length; c++) {
                key.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            RoutingKey routingKey = RoutingKey.of(key.toString());
            assertThat(keys.find(routingKey)).isEqualTo(linear(keyRanges, routingKey));
            assertThat(slots.find(routingKey)).isEqualTo(linear(slotRanges, routingKey)).isNotNull();
        }
    }

    private static ShardRange linear(List<ShardRange> ranges, RoutingKey key) {
        return ranges.stream().filter(r -> r.contains(key)).findFirst().orElse(null);
    }

    @Test
    void refusesOverlapsAndMixedForms() {
        assertThatThrownBy(() -> ShardIndex.of(List.of(ShardRange.parse("u-a-m"), ShardRange.parse("u-m-z"))))
                .hasMessage("shard range u-m-z overlaps u-a-m");
        assertThatThrownBy(() -> ShardIndex.of(List.of(ShardRange.parse("u-a-m"), ShardRange.parse("u#0-1"))))
                .hasMessageContaining("mix");
    }
}
