package dev.backendrouter.router.internal.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostAllowListTest {
    private static boolean allows(List<String> entries, String url) {
        return HostAllowList.of(entries).allows(URI.create(url));
    }

    @Test
    void namesMatchExactlyWithoutCaseOrTrailingDot() {
        List<String> entries = List.of("Files.Internal");
        assertThat(allows(entries, "http://files.internal:4001")).isTrue();
        assertThat(allows(entries, "http://FILES.internal./x")).isTrue();
        assertThat(allows(entries, "http://a.files.internal")).isFalse();
        assertThat(allows(entries, "http://files.internal.evil.example")).isFalse();
    }

    @Test
    void aSuffixMatchesSubdomainsOnly() {
        List<String> entries = List.of("*.svc.cluster.local");
        assertThat(allows(entries, "http://fs.svc.cluster.local")).isTrue();
        assertThat(allows(entries, "http://a.b.svc.cluster.local")).isTrue();
        assertThat(allows(entries, "http://svc.cluster.local")).isFalse();
        assertThat(allows(entries, "http://evilsvc.cluster.local")).isFalse();
    }

    @Test
    void addressBlocksMatchOnTheirPrefix() {
        List<String> entries = List.of("10.0.0.0/8", "192.168.1.7", "fd00::/8");
        assertThat(allows(entries, "http://10.255.0.1")).isTrue();
        assertThat(allows(entries, "http://11.0.0.1")).isFalse();
        assertThat(allows(entries, "http://192.168.1.7:80")).isTrue();
        assertThat(allows(entries, "http://192.168.1.8")).isFalse();
        assertThat(allows(entries, "http://[fd12::1]:4001")).isTrue();
        assertThat(allows(entries, "http://[fe80::1]")).isFalse();
        assertThat(allows(entries, "http://[::ffff:10.1.2.3]")).as("IPv4-mapped").isTrue();
        assertThat(allows(List.of("0.0.0.0/0"), "http://8.8.8.8")).isTrue();
    }

    @Test
    void otherSpellingsOfAnAddressAreNamesAndMatchNoBlock() {
        List<String> entries = List.of("127.0.0.0/8");
        assertThat(allows(entries, "http://127.1")).isFalse();
        assertThat(allows(entries, "http://2130706433")).isFalse();
        assertThat(allows(entries, "http://0x7f.0.0.1")).isFalse();
        assertThat(allows(entries, "http://localhost")).isFalse();
        assertThat(allows(entries, "http://127.0.0.1")).isTrue();
    }
}
