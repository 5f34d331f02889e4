package io.streamglm.job.operators;

import io.streamglm.connectors.record.BadRecord;
import io.streamglm.job.core.Event;
import io.streamglm.job.core.WindowSpec;
import io.streamglm.job.refit.WindowContents;
import org.apache.flink.streaming.api.TimerService;

import java.time.Instant;
import java.util.List;

/**
 * One key's window contents in Flink managed state, grouped in buckets (event-time slides, or one bucket for count
 * and global windows): rows ({@link WindowBuffer}) or, for Poisson log-link models, cells ({@link CellBuffer}).
 */
public interface BucketStore {

    /** Adds the event's row to a bucket and returns the rows the bucket holds. */
    long append(long bucket, Event event) throws Exception;

    void drop(long bucket) throws Exception;

    /** The buffered buckets in [start, end), in time order. */
    List<Long> bucketsIn(long start, long end) throws Exception;

    /** What the buckets in [start, end) hold, ready to refit; null when they hold nothing. */
    WindowContents contents(long start, long end) throws Exception;

    /**
     * Buffers an event-time row in its slide's bucket and, for the bucket's first row, asks for a timer when each
     * window the bucket belongs to closes (window end - 1 + allowed lateness): a window that had closed for the
     * first row has closed for the later ones too. Returns why the row is late instead when every such window has
     * closed.
     */
    default BadRecord appendInWindows(Event event, WindowSpec window, long allowedLateness, TimerService timers)
            throws Exception {
        long t = event.row().eventTime();
        long watermark = timers.currentWatermark();
        long slide = window.slideMillis();
        long bucket = Math.floorDiv(t, slide) * slide;
        long lastEnd = bucket + window.sizeMillis();
        if (lastEnd - 1 + allowedLateness <= watermark) {
            return new BadRecord(BadRecord.LATE, "event time " + Instant.ofEpochMilli(t) + " is after every window it"
                    + " belongs to was refitted (watermark " + Instant.ofEpochMilli(watermark) + ", allowed lateness "
                    + allowedLateness + " ms)");
        }
        if (append(bucket, event) > 1) {
            return null; // the bucket's first row asked for its windows' timers (on RocksDB each ask is a state access)
        }
        for (long end = bucket + slide; end <= lastEnd; end += slide) {
            long fire = end - 1 + allowedLateness;
            if (fire > watermark) {
                timers.registerEventTimeTimer(fire);
            }
        }
        return null;
    }
}
