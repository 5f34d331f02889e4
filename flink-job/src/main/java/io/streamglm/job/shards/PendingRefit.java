package io.streamglm.job.shards;

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
 * A window's refit in progress at the pass coordinator, as kept in its keyed state: the shards taking part (known
 * once the window has closed on every shard), the answered passes (each shard's accumulator, in shard order) and
 * the current pass's accumulators received so far.
 *
 * <p>State layout, version 1: version byte, triggered-at long, shard count int (-1 while the start pass is still
 * being collected) and shard ids, answered-pass count int and per pass the accumulators (int length and bytes, in
 * shard order), the received count int and per shard its id int and accumulator, then the start pass's row
 * counts (count int, then per shard its id int and rows long).
 */
final class PendingRefit {
    private static final byte VERSION = 1;

    private long triggeredAt;
    private int[] shards;
    private final List<List<byte[]>> answers;
    private final TreeMap<Integer, byte[]> received;
    private final TreeMap<Integer, Long> rows;

    private PendingRefit(long triggeredAt, int[] shards, List<List<byte[]>> answers, TreeMap<Integer, byte[]> received,
                         TreeMap<Integer, Long> rows) {
        this.triggeredAt = triggeredAt;
        this.shards = shards;
        this.answers = answers;
        this.received = received;
        this.rows = rows;
    }

    /** A refit whose start pass is being collected (the window has not yet closed on every shard). */
    static PendingRefit collecting() {
        return new PendingRefit(0, null, new ArrayList<>(), new TreeMap<>(), new TreeMap<>());
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

    byte[] encode() {
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
            for (List<byte[]> pass : answers) {
                out.writeInt(pass.size());
                for (byte[] acc : pass) {
                    writeBytes(out, acc);
                }
            }
            out.writeInt(received.size());
            for (Map.Entry<Integer, byte[]> e : received.entrySet()) {
                out.writeInt(e.getKey());
                writeBytes(out, e.getValue());
            }
            out.writeInt(rows.size());
            for (Map.Entry<Integer, Long> e : rows.entrySet()) {
                out.writeInt(e.getKey());
                out.writeLong(e.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static PendingRefit decode(byte[] value) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
            if (in.readByte() != VERSION) {
                throw new IllegalStateException("pending refit state of an unknown version");
            }
            long triggeredAt = in.readLong();
            int shardCount = in.readInt();
            int[] shards = shardCount < 0 ? null : new int[shardCount];
            for (int i = 0; i < shardCount; i++) {
                shards[i] = in.readInt();
            }
            List<List<byte[]>> answers = new ArrayList<>();
            for (int i = in.readInt(); i > 0; i--) {
                List<byte[]> pass = new ArrayList<>();
                for (int j = in.readInt(); j > 0; j--) {
                    pass.add(readBytes(in));
                }
                answers.add(pass);
            }
            TreeMap<Integer, byte[]> received = new TreeMap<>();
            for (int i = in.readInt(); i > 0; i--) {
                received.put(in.readInt(), readBytes(in));
            }
            TreeMap<Integer, Long> rows = new TreeMap<>();
            for (int i = in.readInt(); i > 0; i--) {
                rows.put(in.readInt(), in.readLong());
            }
            return new PendingRefit(triggeredAt, shards, answers, received, rows);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return b;
    }
}
