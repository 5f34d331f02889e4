package io.streamglm.job.shards;

import io.streamglm.job.core.Partial;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A window's refit in progress at the pass coordinator: the shards taking part (known once the window has closed
 * on every shard), the answered passes (each shard's accumulator, in shard order) and the current pass's
 * accumulators received so far. In keyed state the accumulators are entries of their own, one per (pass, shard),
 * written once ({@link PendingRefits}); the rest is a small header.
 *
 * <p>Once the fit has converged, one more pass sums the diagnostics summary of the window's rows; it runs in window
 * order (a window's drift check scores with the previous window's model), so a fitted window may wait for the
 * windows before it ({@link #awaitSummary}).
 *
 * <p>Header layout, version 2: version byte, triggered-at long, shard count int (-1 while the start pass is still
 * being collected) and shard ids, answered-pass count int, the current pass's received shard count int and ids,
 * the start pass's row counts (count int, then per shard its id int and rows long), then the summary pass int
 * ({@link #NO_SUMMARY}, {@link #AWAITING_SUMMARY} or the pass number). Version 1 is the same without the summary
 * pass (a refit from before summaries: it has none yet).
 */
final class PendingRefit {
    private static final byte VERSION = 2;
    /** No summary pass has been asked for (the fit is still running, or the refit has no summary). */
    static final int NO_SUMMARY = -1;
    /** The fit has converged; the summary pass waits for the refits of earlier windows to finish. */
    static final int AWAITING_SUMMARY = -2;

    private long triggeredAt;
    private int[] shards;
    private final List<List<byte[]>> answers;
    private final TreeMap<Integer, byte[]> received;
    private final TreeMap<Integer, Long> rows;
    private int summaryPass;

    private PendingRefit(long triggeredAt, int[] shards, List<List<byte[]>> answers, TreeMap<Integer, byte[]> received,
                         TreeMap<Integer, Long> rows, int summaryPass) {
        this.triggeredAt = triggeredAt;
        this.shards = shards;
        this.answers = answers;
        this.received = received;
        this.rows = rows;
        this.summaryPass = summaryPass;
    }

    /** A refit whose start pass is being collected (the window has not yet closed on every shard). */
    static PendingRefit collecting() {
        return new PendingRefit(0, null, new ArrayList<>(), new TreeMap<>(), new TreeMap<>(), NO_SUMMARY);
    }

    /** The summary pass's number, or {@link #NO_SUMMARY} or {@link #AWAITING_SUMMARY}. */
    int summaryPass() {
        return summaryPass;
    }

    /** The fit's passes: every answered pass before the summary pass. */
    List<List<byte[]>> fitAnswers() {
        return summaryPass >= 0 ? answers.subList(0, summaryPass) : answers;
    }

    /** The fit has converged and its summary pass waits for earlier windows. */
    void awaitSummary() {
        summaryPass = AWAITING_SUMMARY;
    }

    boolean awaitingSummary() {
        return summaryPass == AWAITING_SUMMARY;
    }

    /** The pass being asked for now is the summary pass. */
    void askSummary() {
        summaryPass = iteration();
    }

    boolean started() {
        return shards != null;
    }

    /** The pass number being collected. */
    int iteration() {
        return answers.size();
    }

    int[] shards() {
        return shards;
    }

    List<List<byte[]>> answers() {
        return answers;
    }

    long triggeredAt() {
        return triggeredAt;
    }

    /** The window's rows over all shards (from the start pass). */
    long rows() {
        return rows.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Takes a shard's accumulator for the current pass; false for a message already taken or not expected. */
    boolean receive(Partial p) {
        if (p.iteration() != iteration() || received.containsKey(p.shard())
                || (started() && Arrays.binarySearch(shards, p.shard()) < 0)) {
            return false;
        }
        received.put(p.shard(), p.accumulator());
        if (p.iteration() == 0) {
            rows.put(p.shard(), p.rows());
        }
        return true;
    }

    /** The window has closed on every shard: the shards that sent a start pass are the refit's shards. */
    void start(long triggeredAtMillis) {
        triggeredAt = triggeredAtMillis;
        shards = received.keySet().stream().mapToInt(Integer::intValue).toArray();
    }

    boolean complete() {
        return started() && received.size() == shards.length;
    }

    /** The current pass is complete: its accumulators, in shard order, become its answer. */
    void closePass() {
        answers.add(new ArrayList<>(received.values()));
        received.clear();
    }

    /** The accumulator a shard sent for a pass, read from state. */
    @FunctionalInterface
    interface Accumulators {
        byte[] get(int pass, int shard) throws Exception;
    }

    byte[] encodeHeader() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeLong(triggeredAt);
            out.writeInt(shards == null ? -1 : shards.length);
            if (shards != null) {
                for (int s : shards) {
                    out.writeInt(s);
                }
            }
            out.writeInt(answers.size());
            out.writeInt(received.size());
            for (int shard : received.keySet()) {
                out.writeInt(shard);
            }
            out.writeInt(rows.size());
            for (Map.Entry<Integer, Long> e : rows.entrySet()) {
                out.writeInt(e.getKey());
                out.writeLong(e.getValue());
            }
            out.writeInt(summaryPass);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static PendingRefit decode(byte[] header, Accumulators accumulators) throws Exception {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(header))) {
            byte version = in.readByte();
            if (version != 1 && version != VERSION) {
                throw new IllegalStateException("pending refit state of version " + version + ": this build reads"
                        + " versions 1 and " + VERSION + "; restore with the streamglm that wrote it");
            }
            long triggeredAt = in.readLong();
            int shardCount = in.readInt();
            int[] shards = shardCount < 0 ? null : new int[shardCount];
            for (int i = 0; i < shardCount; i++) {
                shards[i] = in.readInt();
            }
            int answered = in.readInt();
            List<List<byte[]>> answers = new ArrayList<>();
            for (int pass = 0; pass < answered; pass++) {
                List<byte[]> parts = new ArrayList<>();
                for (int shard : shards) {
                    parts.add(accumulators.get(pass, shard));
                }
                answers.add(parts);
            }
            TreeMap<Integer, byte[]> received = new TreeMap<>();
            for (int i = in.readInt(); i > 0; i--) {
                int shard = in.readInt();
                received.put(shard, accumulators.get(answered, shard));
            }
            TreeMap<Integer, Long> rows = new TreeMap<>();
            for (int i = in.readInt(); i > 0; i--) {
                rows.put(in.readInt(), in.readLong());
            }
            int summaryPass = version == 1 ? NO_SUMMARY : in.readInt();
            return new PendingRefit(triggeredAt, shards, answers, received, rows, summaryPass);
        }
    }

    /** Every (pass, shard) whose accumulator this refit holds, answered or received. */
    List<int[]> accumulatorKeys() {
        List<int[]> keys = new ArrayList<>();
        for (int pass = 0; pass < answers.size(); pass++) {
            for (int shard : shards) {
                keys.add(new int[]{pass, shard});
            }
        }
        for (int shard : received.keySet()) {
            keys.add(new int[]{answers.size(), shard});
        }
        return keys;
    }
}
