package dev.backendrouter.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backendrouter.api.ShardRange.KeyRange;
import dev.backendrouter.api.ShardRange.SlotRange;
import org.junit.jupiter.api.Test;

class ShardRangeTest {

    private static boolean owns(String range, String key) {
        return ShardRange.parse(range).contains(RoutingKey.of(key));
    }

    @Test
    void controlCharactersAreRefusedNeverTrimmed() {
        for (String key : new String[] {"users-a-m\r\n", "users-a-m\n", "\0users-a-m", "users-a-m\t", "users#0-8191\u001b",
                "users-a\u0085-m"}) {
            assertThatThrownBy(() -> ShardRange.parse(key)).as(key.replace("\n", "\\n"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("has a control character at index")
                    .hasMessageNotContaining("\r").hasMessageNotContaining("\n");
        }
        assertThatThrownBy(() -> ShardRange.parse("users-a-m\r\n"))
                .hasMessageStartingWith("'users-a-m\\u000d\\u000a' has a control character at index 9 (\\u000d)");
        assertThat(ShardRange.parse("  users-a-m ").text()).as("spaces around the range are still allowed").isEqualTo("users-a-m");
    }

    @Test
    void registryRangesOwnTheKeysStartingWithTheirLetters() {
        assertThat(owns("users-a-m", "alice")).isTrue();
        assertThat(owns("users-a-m", "mike")).isTrue();
        assertThat(owns("users-a-m", "m")).isTrue();
        assertThat(owns("users-a-m", "nina")).isFalse();
        assertThat(owns("users-n-z", "nina")).isTrue();
        assertThat(owns("users-n-z", "zoe")).isTrue();
        assertThat(owns("users-n-z", "zzzz")).isTrue();
        assertThat(owns("users-a-m", "7")).isFalse();
        assertThat(owns("users-n-z", "7")).isFalse();
    }

    @Test
    void rangesAreCaseInsensitive() {
        assertThat(owns("Users-A-M", "ALICE")).isTrue();
        assertThat(ShardRange.parse("Users-A-M").text()).isEqualTo("users-a-m");
    }

    @Test
    void multiCharacterBoundsCompareByPrefix() {
        assertThat(owns("users-a-mz", "mzzz")).isTrue();
        assertThat(owns("users-a-mz", "n")).isFalse();
        assertThat(owns("users-ma-mz", "m")).isFalse();
        assertThat(owns("users-ma-mz", "mary")).isTrue();
    }

    @Test
    void keyspaceMayContainHyphens() {
        ShardRange range = ShardRange.parse("user-files-a-m");
        assertThat(range).isEqualTo(new KeyRange("user-files", "a", "m"));
        assertThat(range.keyspace()).isEqualTo("user-files");
    }

    @Test
    void slotRanges() {
        ShardRange range = ShardRange.parse("users#0-8191");
        assertThat(range).isEqualTo(new SlotRange("users", 0, 8191));
        RoutingKey key = RoutingKey.of("alice");
        assertThat(range.contains(key)).isEqualTo(key.slot() <= 8191);
        assertThat(ShardRange.parse("users#8192-16383").contains(key)).isEqualTo(key.slot() >= 8192);
    }

    @Test
    void malformedRangesSayWhatIsExpected() {
        assertThatThrownBy(() -> ShardRange.parse("users")).hasMessageContaining("'users' is neither a key range");
        assertThatThrownBy(() -> ShardRange.parse("k".repeat(200) + "!"))
                .as("a long key is cut, the hint on the forms is not")
                .hasMessageContaining("…' is neither a key range")
                .hasMessageEndingWith("nor a slot range 'keyspace#from-to' (users#0-8191)");
        assertThatThrownBy(() -> ShardRange.parse("users-m-a")).hasMessage("range start 'm' comes after its end 'a'");
        assertThatThrownBy(() -> ShardRange.parse("users#9-2")).hasMessageContaining("start 9 comes after its end 2");
        assertThatThrownBy(() -> ShardRange.parse("users#0-16384")).hasMessageContaining("outside 0-16383");
        assertThatThrownBy(() -> ShardRange.parse("users#0-99999999999")).hasMessageContaining("outside 0-16383");
    }
}
