package dev.backendrouter.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RoutingKeyTest {

    @Test
    void keysCompareCaseInsensitively() {
        assertThat(RoutingKey.of("Alice")).isEqualTo(RoutingKey.of("alice"));
        assertThat(RoutingKey.of("Alice").value()).isEqualTo("Alice");
        assertThat(RoutingKey.of("Alice").normalized()).isEqualTo("alice");
        assertThat(RoutingKey.of("Alice").slot()).isEqualTo(RoutingKey.of("alice").slot());
    }

    @Test
    void slotIsStableAndInRange() {
        // the documented hash: changing it would move every key to another shard
        int slot = RoutingKey.of("alice").slot();
        assertThat(slot).isBetween(0, RoutingKey.SLOT_COUNT - 1);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update("alice".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(slot).isEqualTo((int) (crc.getValue() % 16384));
    }

    @Test
    void rejectsEmptyLongAndControlCharacters() {
        assertThatThrownBy(() -> RoutingKey.of("")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> RoutingKey.of("a".repeat(1025))).hasMessageContaining("longer than 1024");
        assertThatThrownBy(() -> RoutingKey.of("alice\r\nX-Evil: 1")).hasMessageContaining("control character at index 5");
        assertThatThrownBy(() -> RoutingKey.of(null)).isInstanceOf(NullPointerException.class);
    }
}
