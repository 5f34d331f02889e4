package io.streamglm.job.shards;

import io.streamglm.job.core.Partial;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The coordinator's refit header: the summary pass survives state, and a version 1 header is still read. */
class PendingRefitTest {

    @Test
    void theSummaryPassRoundTripsAndTheFitsPassesExcludeIt() throws Exception {
        Map<String, byte[]> state = new HashMap<>();
        PendingRefit refit = PendingRefit.collecting();
        for (int shard : new int[]{0, 1}) {
            refit.receive(new Partial("m", 10, 0, shard, 5 + shard, new byte[]{(byte) shard}));
            state.put("0/" + shard, new byte[]{(byte) shard});
        }
        refit.start(123);
        refit.closePass();
        refit.awaitSummary();
        PendingRefit back = PendingRefit.decode(refit.encodeHeader(), (pass, shard) -> state.get(pass + "/" + shard));
        assertThat(back.awaitingSummary()).isTrue();
        back.askSummary();
        assertThat(back.summaryPass()).isEqualTo(1);
        for (int shard : new int[]{0, 1}) {
            back.receive(new Partial("m", 10, 1, shard, 0, new byte[]{7}));
            state.put("1/" + shard, new byte[]{7});
        }
        back.closePass();
        PendingRefit again = PendingRefit.decode(back.encodeHeader(), (pass, shard) -> state.get(pass + "/" + shard));
        assertThat(again.summaryPass()).isEqualTo(1);
        assertThat(again.fitAnswers()).hasSize(1);
        assertThat(again.answers()).hasSize(2);
        assertThat(again.rows()).isEqualTo(11);
        assertThat(again.triggeredAt()).isEqualTo(123);
    }

    @Test
    void aVersionOneHeaderIsReadAsARefitWithoutSummaryYet() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(1);
            out.writeLong(99); // triggered at
            out.writeInt(1); // shards
            out.writeInt(4);
            out.writeInt(1); // answered passes
            out.writeInt(0); // received of the current pass
            out.writeInt(1); // row counts
            out.writeInt(4);
            out.writeLong(250);
        }
        PendingRefit refit = PendingRefit.decode(bytes.toByteArray(), (pass, shard) -> new byte[]{(byte) pass});
        assertThat(refit.summaryPass()).isEqualTo(PendingRefit.NO_SUMMARY);
        assertThat(refit.shards()).containsExactly(4);
        assertThat(refit.fitAnswers()).hasSize(1);
        assertThat(refit.rows()).isEqualTo(250);
        assertThat(refit.triggeredAt()).isEqualTo(99);

        byte[] future = bytes.toByteArray();
        future[0] = 3;
        assertThatThrownBy(() -> PendingRefit.decode(future, (pass, shard) -> null))
                .hasMessageContaining("version 3");
        assertThat(List.of(PendingRefit.NO_SUMMARY, PendingRefit.AWAITING_SUMMARY)).doesNotHaveDuplicates();
    }
}
