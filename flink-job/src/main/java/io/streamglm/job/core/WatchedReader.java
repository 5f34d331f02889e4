package io.streamglm.job.core;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.core.io.InputStatus;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A source reader (Flink's Kafka reader, in practice) that is passed through unchanged while a subclass watches
 * every record it emits: the sources that need to know what was read (the feedback source's end messages, the
 * input's progress through its backlog) wrap Flink's reader rather than re-implement it.
 *
 * <p>Flink's readers emit through per-split outputs that they create from the reader output and keep, so both
 * the reader output and the split outputs it creates are watched.
 */
public abstract class WatchedReader<T, S extends SourceSplit> implements SourceReader<T, S> {
    private final SourceReader<T, S> reader;
    private ReaderOutput<T> lastOutput;
    private WatchingOutput watching;

    protected WatchedReader(SourceReader<T, S> reader) {
        this.reader = reader;
    }

    /** Called with each record the reader emits, before it goes on. */
    protected abstract void watch(T record);

    @Override public InputStatus pollNext(ReaderOutput<T> output) throws Exception {
        if (output != lastOutput) { // the task passes the same output on every call
            lastOutput = output;
            watching = new WatchingOutput(output);
        }
        return reader.pollNext(watching);
    }

    @Override public void start() {
        reader.start();
    }

    @Override public List<S> snapshotState(long checkpointId) {
        return reader.snapshotState(checkpointId);
    }

    @Override public CompletableFuture<Void> isAvailable() {
        return reader.isAvailable();
    }

    @Override public void addSplits(List<S> splits) {
        reader.addSplits(splits);
    }

    @Override public void notifyNoMoreSplits() {
        reader.notifyNoMoreSplits();
    }

    @Override public void handleSourceEvents(SourceEvent event) {
        reader.handleSourceEvents(event);
    }

    @Override public void notifyCheckpointComplete(long checkpointId) throws Exception {
        reader.notifyCheckpointComplete(checkpointId);
    }

    @Override public void notifyCheckpointAborted(long checkpointId) throws Exception {
        reader.notifyCheckpointAborted(checkpointId);
    }

    @Override public void pauseOrResumeSplits(Collection<String> paused, Collection<String> resumed) {
        reader.pauseOrResumeSplits(paused, resumed);
    }

    @Override public void close() throws Exception {
        reader.close();
    }

    /** Passes a split's output on, watching its records. */
    private class WatchingSplitOutput implements SourceOutput<T> {
        private final SourceOutput<T> output;

        WatchingSplitOutput(SourceOutput<T> output) {
            this.output = output;
        }

        @Override public void collect(T record) {
            watch(record);
            output.collect(record);
        }

        @Override public void collect(T record, long timestamp) {
            watch(record);
            output.collect(record, timestamp);
        }

        @Override public void emitWatermark(Watermark watermark) {
            output.emitWatermark(watermark);
        }

        @Override public void markIdle() {
            output.markIdle();
        }

        @Override public void markActive() {
            output.markActive();
        }
    }

    /** The reader's output, watched too, and the split outputs it creates. */
    private final class WatchingOutput extends WatchingSplitOutput implements ReaderOutput<T> {
        private final ReaderOutput<T> output;

        WatchingOutput(ReaderOutput<T> output) {
            super(output);
            this.output = output;
        }

        @Override public SourceOutput<T> createOutputForSplit(String splitId) {
            return new WatchingSplitOutput(output.createOutputForSplit(splitId));
        }

        @Override public void releaseOutputForSplit(String splitId) {
            output.releaseOutputForSplit(splitId);
        }
    }
}
