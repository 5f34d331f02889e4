package io.streamglm.job.replay;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters the replay's readers add to and the terminal display reads. They are plain JVM counters: they move when
 * the job runs in this JVM (the embedded MiniCluster, the default); on a remote cluster the display shows windows
 * and passes, which the driver counts itself.
 */
public final class ReplayProgress {
    /** Records read so far (rows and dead letters). */
    public static final AtomicLong RECORDS = new AtomicLong();
    /** Adds in blocks so that readers on several threads do not contend for every record. */
    static final int BLOCK = 1024;

    private ReplayProgress() {
    }
}
