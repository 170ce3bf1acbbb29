package dev.backendrouter.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BackendRoleTest {

    @Test
    void parsesCaseInsensitivelyWithDashes() {
        assertThat(BackendRole.parse("read_replica")).contains(BackendRole.READ_REPLICA);
        assertThat(BackendRole.parse("Read-Replica")).contains(BackendRole.READ_REPLICA);
        assertThat(BackendRole.parse(" backup ")).contains(BackendRole.BACKUP);
        assertThat(BackendRole.parse("MASTER")).isEmpty();
        assertThat(BackendRole.parse(null)).isEmpty();
    }

    @Test
    void onlyPrimaryBackupAndShardTakeWrites() {
        assertThat(BackendRole.values()).filteredOn(BackendRole::acceptsWrites)
                .containsExactly(BackendRole.PRIMARY, BackendRole.BACKUP, BackendRole.SHARD);
        assertThat(BackendRole.validNames()).isEqualTo("PRIMARY, BACKUP, CACHE, SHARD, READ_REPLICA, ARCHIVE");
    }
}
