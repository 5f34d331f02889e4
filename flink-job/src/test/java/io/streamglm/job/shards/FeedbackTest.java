package io.streamglm.job.shards;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class FeedbackTest {

    @Test
    void messagesSurviveTheTopic() {
        Feedback pass = Feedback.pass("job-1", new Feedback.Sender(7, 1, 9), "freq/north", 3_600_000L, 4, new int[]{0, 1}, new byte[]{1, 2, 3});
        Feedback back = Feedback.decode(pass.encode());
        assertThat(back.kind()).isEqualTo(Feedback.Kind.PASS);
        assertThat(back.job()).isEqualTo("job-1");
        assertThat(back.sender()).isEqualTo(new Feedback.Sender(7, 1, 9));
        assertThat(back.model()).isEqualTo("freq/north");
        assertThat(back.window()).isEqualTo(3_600_000L);
        assertThat(back.iteration()).isEqualTo(4);
        assertThat(back.shards()).containsExactly(0, 1);
        assertThat(back.pass()).containsExactly(1, 2, 3);
        assertThat(back.hasShard(1)).isTrue();
        assertThat(back.hasShard(2)).isFalse();

        Feedback end = Feedback.decode(Feedback.end("job-1", 1, 2).encode());
        assertThat(end.kind()).isEqualTo(Feedback.Kind.END);
        assertThat(end.iteration()).as("subtask").isEqualTo(1);
        assertThat(end.window()).as("parallelism").isEqualTo(2);
    }

    @Test
    void afterARestoreOnlyTheRestoredHistoryAndTheCurrentAttemptCount() {
        // A fresh job: everything of this job run.
        assertThat(message(new Feedback.Sender(0, 0, 0)).validFor(0, 0)).isTrue();
        assertThat(message(new Feedback.Sender(0, 0, 12)).validFor(0, 0)).isTrue();
        // Restored from checkpoint 5 (attempt 1): what attempt 0 sent before its snapshot of checkpoint 5 ...
        assertThat(message(new Feedback.Sender(0, 0, 4)).validFor(5, 1)).isTrue();
        // ... but not what it sent after it (a rolled-back future) ...
        assertThat(message(new Feedback.Sender(0, 0, 5)).validFor(5, 1)).isFalse();
        assertThat(message(new Feedback.Sender(0, 0, 6)).validFor(5, 1)).isFalse();
        // ... and what this attempt sends.
        assertThat(message(new Feedback.Sender(5, 1, 5)).validFor(5, 1)).isTrue();
        assertThat(message(new Feedback.Sender(5, 1, 8)).validFor(5, 1)).isTrue();
        // Restored from checkpoint 5 again (attempt 2): attempt 1's messages after checkpoint 5 are rolled back.
        assertThat(message(new Feedback.Sender(5, 1, 5)).validFor(5, 2)).isFalse();
        assertThat(message(new Feedback.Sender(0, 0, 4)).validFor(5, 2)).isTrue();
    }

    private static Feedback message(Feedback.Sender sender) {
        return Feedback.pass("j", sender, "m", 1, 1, new int[]{0}, new byte[0]);
    }

    @Test
    void anythingElseOnTheTopicIsIgnoredNotFatal() {
        assertThat(Feedback.decode(null)).isNull();
        assertThat(Feedback.decode(new byte[0])).isNull();
        assertThat(Feedback.decode("{\"model\": \"m\"}".getBytes(StandardCharsets.UTF_8))).isNull();
        byte[] truncated = Feedback.pass("j", Feedback.Sender.FRESH, "m", 1, 1, new int[]{0}, new byte[100]).encode();
        assertThat(Feedback.decode(java.util.Arrays.copyOf(truncated, 40))).isNull();
        Random random = new Random(7);
        for (int i = 0; i < 1000; i++) {
            byte[] noise = new byte[random.nextInt(64)];
            random.nextBytes(noise);
            Feedback.decode(noise); // must not throw
        }
    }

    @Test
    void kindsHaveFixedCodesOnTheWireAndAnUnknownKindIsIgnored() {
        byte[] summary = Feedback.summary("j", Feedback.Sender.FRESH, "m", 1, 6, new int[]{0, 2}, new byte[]{9})
                .encode();
        assertThat(summary[0]).as("version").isEqualTo((byte) 1);
        assertThat(summary[1]).as("summary's code").isEqualTo((byte) 3);
        Feedback back = Feedback.decode(summary);
        assertThat(back.kind()).isEqualTo(Feedback.Kind.SUMMARY);
        assertThat(back.iteration()).isEqualTo(6);
        assertThat(back.pass()).containsExactly(9);
        assertThat(Feedback.pass("j", Feedback.Sender.FRESH, "m", 1, 1, new int[]{0}, new byte[0]).encode()[1])
                .isEqualTo((byte) 0);
        assertThat(Feedback.release("j", Feedback.Sender.FRESH, "m", 1, new int[]{0}).encode()[1]).isEqualTo((byte) 1);
        assertThat(Feedback.end("j", 0, 1).encode()[1]).isEqualTo((byte) 2);
        summary[1] = 17; // a kind of a later build
        assertThat(Feedback.decode(summary)).isNull();
    }
}
