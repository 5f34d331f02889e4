package io.streamglm.connectors.kafka;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeliveryCheckTest {
    private static final RecordMetadata SENT = new RecordMetadata(new TopicPartition("t", 0), 0, 0, 0, 1, 1);

    @Test
    void failedSendsAreCountedAndReportedWithTheFirstCause() {
        DeliveryCheck check = new DeliveryCheck();
        check.onCompletion(SENT, null);
        assertThatCode(() -> check.throwIfFailed("topic t")).doesNotThrowAnyException();
        check.onCompletion(null, new TimeoutException("batch expired"));
        check.onCompletion(null, new IllegalStateException("later"));
        assertThatThrownBy(() -> check.throwIfFailed("topic t"))
                .hasMessageContaining("2 records to topic t were not delivered")
                .hasMessageContaining("TimeoutException: batch expired")
                .hasCauseInstanceOf(TimeoutException.class);
    }
}
