package io.streamglm.job.shards;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * A message of the feedback topic, from the pass coordinator to the shards: run a pass of a window's refit at new
 * coefficients, sum the diagnostics summary of a fitted window's rows ({@code SummarySums.Request} as the pass
 * bytes), release a finished refit's rows, or (bounded runs) a coordinator subtask has nothing more to ask.
 * Tagged with the job run, the model, the refit's window and the pass number, so a message read twice (sent twice
 * by an at-least-once sink) is answered once.
 *
 * <p>The topic is outside Flink's checkpoints: after a restore from checkpoint C it still holds what the failed
 * attempt wrote after C, a future that has been rolled back (a release of a window whose refit the restored
 * coordinator has yet to finish, say). Each message therefore says which attempt sent it ({@code restoredFrom}:
 * the checkpoint the sender was restored from, 0 for a fresh start; {@code attempt}: the sender's attempt number)
 * and after which of its checkpoints ({@code sentAfter}: the last checkpoint its state was snapshotted for). A
 * message is part of the restored history when it was sent before the checkpoint the reader was restored from
 * ({@link #validFor}); the current attempt's own messages are valid too.
 *
 * <p>Kafka value layout, version 1: version byte, kind byte ({@link Kind#code}: 0 pass, 1 release, 2 end, 3
 * summary; a reader ignores a kind it does not know), job UTF, restoredFrom long, attempt int, sentAfter
 * long, model UTF, window end long, iteration int, shard count int and shard ids int each, pass length int and the
 * pass bytes ({@code PassCodec}).
 *
 * @param window    the refit's window end (ms); for {@link Kind#END}, the coordinator's parallelism
 * @param iteration the pass number within the refit (0 is the start pass); for {@link Kind#END}, the subtask index
 * @param shards    the shards holding the window's rows, ascending (the merge order)
 */
public record Feedback(Kind kind, String job, Sender sender, String model, long window, int iteration, int[] shards,
                       byte[] pass) {
    private static final byte VERSION = 1;

    /** The kinds of message, each with its code on the wire (fixed: not the declaration order). */
    public enum Kind {
        PASS(0), RELEASE(1), END(2), SUMMARY(3);

        private final int code;

        Kind(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        /** The kind of a code, or null for one this build does not know. */
        static Kind of(int code) {
            for (Kind k : values()) {
                if (k.code == code) {
                    return k;
                }
            }
            return null;
        }
    }

    /** Who sent a message, and when in terms of checkpoints (see the class comment). */
    public record Sender(long restoredFrom, int attempt, long sentAfter) {
        /** The sender of a fresh job's first messages. */
        public static final Sender FRESH = new Sender(0, 0, 0);
    }

    public static Feedback pass(String job, Sender sender, String model, long window, int iteration, int[] shards,
                                byte[] pass) {
        return new Feedback(Kind.PASS, job, sender, model, window, iteration, shards, pass);
    }

    /** Sum the diagnostics summary of the window's rows: {@code request} is a {@code SummarySums.Request}. */
    public static Feedback summary(String job, Sender sender, String model, long window, int iteration, int[] shards,
                                   byte[] request) {
        return new Feedback(Kind.SUMMARY, job, sender, model, window, iteration, shards, request);
    }

    public static Feedback release(String job, Sender sender, String model, long window, int[] shards) {
        return new Feedback(Kind.RELEASE, job, sender, model, window, -1, shards, new byte[0]);
    }

    /**
     * Coordinator subtask {@code subtask} of {@code parallelism} has no refit left and its input has ended. Sent
     * only once a checkpoint in that state has completed, so no restore can take it back.
     */
    public static Feedback end(String job, int subtask, int parallelism) {
        return new Feedback(Kind.END, job, Sender.FRESH, "", parallelism, subtask, new int[0], new byte[0]);
    }

    /**
     * Whether a reader restored from checkpoint {@code restoredFrom} (0: a fresh start) at attempt {@code attempt}
     * must act on this message: it was sent before that checkpoint, so the restored state expects it, or it comes
     * from the current attempt (restored from the same checkpoint, a later or the same attempt).
     */
    public boolean validFor(long restoredFrom, int attempt) {
        return sender.sentAfter() < restoredFrom
                || (sender.restoredFrom() == restoredFrom && sender.attempt() >= attempt);
    }

    public boolean hasShard(int shard) {
        return Arrays.binarySearch(shards, shard) >= 0;
    }

    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + pass.length);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeByte(kind.code());
            out.writeUTF(job);
            out.writeLong(sender.restoredFrom());
            out.writeInt(sender.attempt());
            out.writeLong(sender.sentAfter());
            out.writeUTF(model);
            out.writeLong(window);
            out.writeInt(iteration);
            out.writeInt(shards.length);
            for (int s : shards) {
                out.writeInt(s);
            }
            out.writeInt(pass.length);
            out.write(pass);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The message of a feedback record; null when it is not one this build can read (it is then ignored). */
    public static Feedback decode(byte[] value) {
        if (value == null || value.length < 2 || value[0] != VERSION || Kind.of(value[1]) == null) {
            return null;
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
            in.readByte();
            Kind kind = Kind.of(in.readByte());
            String job = in.readUTF();
            Sender sender = new Sender(in.readLong(), in.readInt(), in.readLong());
            String model = in.readUTF();
            long window = in.readLong();
            int iteration = in.readInt();
            int[] shards = new int[bounded(in.readInt(), value.length / 4)];
            for (int i = 0; i < shards.length; i++) {
                shards[i] = in.readInt();
            }
            byte[] pass = new byte[bounded(in.readInt(), value.length)];
            in.readFully(pass);
            return new Feedback(kind, job, sender, model, window, iteration, shards, pass);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** A length read from a record, checked against the record's size before anything is allocated. */
    private static int bounded(int length, int limit) throws IOException {
        if (length < 0 || length > limit) {
            throw new IOException("length " + length + " does not fit a record of this size");
        }
        return length;
    }
}
