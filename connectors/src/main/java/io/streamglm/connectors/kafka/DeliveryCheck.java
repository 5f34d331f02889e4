package io.streamglm.connectors.kafka;

import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.RecordMetadata;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A producer callback that remembers failed sends, so a sender can report records Kafka did not take instead of
 * losing them silently (an un-checked {@code send} drops a record whose batch failed, e.g. after a timeout, and a
 * bounded job waiting for it never ends).
 */
public final class DeliveryCheck implements Callback {
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<Exception> first = new AtomicReference<>();

    @Override public void onCompletion(RecordMetadata metadata, Exception exception) {
        if (exception != null) {
            failed.incrementAndGet();
            first.compareAndSet(null, exception);
        }
    }

    public long failed() {
        return failed.get();
    }

    /** Call after the producer's flush: throws when any record was not delivered, naming how many and why. */
    public void throwIfFailed(String what) {
        if (failed.get() > 0) {
            Exception e = first.get();
            throw new IllegalStateException(failed.get() + " records to " + what + " were not delivered (first: "
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + "); check the broker and send them again",
                    e);
        }
    }
}
