package io.streamglm.job.stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BacklogProgressTest {
    private static final long IDLE = 5_000;

    @Test
    void caughtUpOnceEveryAssignedPartitionReachedItsEnd() {
        BacklogProgress p = new BacklogProgress(new long[] {100, 50}, IDLE, 0);
        p.assigned(0, 10);
        p.assigned(1, 10);
        p.read(0, 99, 20);
        assertThat(p.caughtUp(30)).isFalse();
        p.read(1, 40, 40);
        assertThat(p.caughtUp(50)).isFalse();
        p.read(1, 49, 60); // a plain producer's last record: end - 1
        assertThat(p.caughtUp(70)).isTrue();
    }

    @Test
    void aTransactionalTailEndsOneOffsetEarlier() {
        // read_committed's end is past the commit marker, so the last record sits at end - 2
        BacklogProgress p = new BacklogProgress(new long[] {101}, IDLE, 0);
        p.assigned(0, 0);
        p.read(0, 98, 1);
        assertThat(p.caughtUp(2)).isFalse();
        p.read(0, 99, 3);
        assertThat(p.caughtUp(4)).isTrue();
    }

    @Test
    void emptyPartitionsAndPartitionsUnknownAtLaunchHaveNoBacklog() {
        BacklogProgress p = new BacklogProgress(new long[] {0}, IDLE, 0);
        p.assigned(0, 1);
        p.assigned(7, 1); // created after the launch read the ends
        assertThat(p.caughtUp(2)).isTrue();
    }

    @Test
    void aReaderWithoutSplitsIsCaughtUpOnlyWhenIdle() {
        BacklogProgress p = new BacklogProgress(new long[] {10}, IDLE, 0);
        assertThat(p.caughtUp(IDLE - 1)).isFalse();
        assertThat(p.caughtUp(IDLE)).isTrue();
    }

    @Test
    void aTailWithoutRecordsEndsByIdleTimeAfterTheLastRecord() {
        // an aborted transaction at the end: its records are never delivered
        BacklogProgress p = new BacklogProgress(new long[] {1_000}, IDLE, 0);
        p.assigned(0, 0);
        p.read(0, 500, 4_000);
        assertThat(p.caughtUp(8_999)).isFalse();
        assertThat(p.caughtUp(9_000)).isTrue();
    }

    @Test
    void onceCaughtUpItStaysSo() {
        BacklogProgress p = new BacklogProgress(new long[] {2}, IDLE, 0);
        p.assigned(0, 0);
        p.read(0, 1, 1);
        assertThat(p.caughtUp(2)).isTrue();
        p.assigned(1, 3);
        assertThat(p.caughtUp(4)).isTrue();
    }
}
