package io.streamglm.job.replay;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The replay's pass protocol between the driver ({@link PassServer}) and its workers ({@link PassClient}) over one
 * TCP connection per worker, big-endian {@code DataOutput} framing, version 2:
 *
 * <pre>
 * worker → driver, once:  int MAGIC, int VERSION, UTF token, int subtask, long records, boolean keeps (its
 *                         chunks in memory), int deadLetters, {bytes json}*, int chunks, {long key}*
 * driver → worker:        byte PASS, bytes pass ({@code PassCodec})   |   byte SUMMARY, bytes request
 *                         ({@code SummarySums.Request})   |   byte DONE
 * worker → driver, per PASS: int chunks, {long key, bytes accumulator}*   |   int FAILED, UTF message
 * worker → driver, per SUMMARY: int 0 (no chunks) or 1, long its first chunk's key, bytes its chunks' merged
 *                         {@code SummarySums}   |   int FAILED, UTF message
 * </pre>
 *
 * <p>Version 1 had no SUMMARY and no keeps; driver and workers are always of one build (the job's jar), so the version only
 * turns a mix-up into one clear line.
 *
 * where {@code bytes} is an int length and the bytes. The token (random per replay) keeps a stray connection from
 * being taken for a worker; the version refuses a worker of another build in one line.
 */
final class PassProtocol {
    static final int MAGIC = 0x53474c4d; // "SGLM"
    static final int VERSION = 2;
    static final byte DONE = 0;
    static final byte PASS = 1;
    static final byte SUMMARY = 2;
    static final int FAILED = -1;

    private PassProtocol() {
    }

    static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    static byte[] readBytes(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            throw new IOException("a negative length " + n + " in the pass protocol");
        }
        byte[] bytes = new byte[n];
        in.readFully(bytes);
        return bytes;
    }
}
