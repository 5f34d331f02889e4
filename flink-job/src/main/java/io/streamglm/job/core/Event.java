package io.streamglm.job.core;

import io.streamglm.connectors.record.BadRecord;
import io.streamglm.connectors.record.EncodedRow;

/**
 * What the source emits for each Kafka record: an encoded design row for a model, or a dead letter carrying the
 * original bytes, the reason and where it came from. One mutable-free class (with its own serializer) keeps Kryo
 * out of the pipeline.
 */
public final class Event {
    private final EncodedRow row;
    private final byte[] original;
    private final BadRecord bad;
    private final String topic;
    private final int partition;
    private final long offset;
    private final long timestamp;

    private Event(EncodedRow row, byte[] original, BadRecord bad, String topic, int partition, long offset,
                  long timestamp) {
        this.row = row;
        this.original = original;
        this.bad = bad;
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.timestamp = timestamp;
    }

    /** A row; its original bytes travel with it so that a late row can still go to the dead-letter topic whole. */
    public static Event row(EncodedRow row, byte[] original, String topic, int partition, long offset) {
        return new Event(row, original, null, topic, partition, offset, row.eventTime());
    }

    public static Event deadLetter(byte[] original, BadRecord bad, String topic, int partition, long offset,
                                   long timestamp) {
        return new Event(null, original, bad, topic, partition, offset, timestamp);
    }

    public boolean isRow() {
        return row != null;
    }

    public EncodedRow row() {
        return row;
    }

    public byte[] original() {
        return original;
    }

    public BadRecord bad() {
        return bad;
    }

    public String topic() {
        return topic;
    }

    public int partition() {
        return partition;
    }

    public long offset() {
        return offset;
    }

    public long timestamp() {
        return timestamp;
    }

    /**
     * This row without its original bytes, for a job in which no row can become a dead letter after the source
     * (count and global windows refit every row they are given): about half of what each row costs to send to
     * the refit operator. Anything else is returned as it is.
     */
    public Event withoutOriginal() {
        return row == null || original == null ? this : new Event(row, null, null, topic, partition, offset, timestamp);
    }

    /** The same record as a dead letter (e.g. a row arriving after its window was refitted). */
    public Event asDeadLetter(BadRecord why) {
        return new Event(null, original, why, topic, partition, offset, timestamp);
    }

    /** Rebuilds an event read back by {@code EventSerializer}. */
    public static Event of(EncodedRow row, byte[] original, BadRecord bad, String topic, int partition, long offset,
                           long timestamp) {
        return new Event(row, original, bad, topic, partition, offset, timestamp);
    }
}
