package io.streamglm.job.replay;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The replay's pass protocol between the driver ({@link PassServer}) and its workers ({@link PassClient}) over one
 * TCP connection per worker, big-endian {@code DataOutput} framing, version 1:
 *
 * <pre>
 * worker → driver, once:  int MAGIC, int VERSION, UTF token, int subtask, long records,
 *                         int deadLetters, {bytes json}*, int chunks, {long key}*
 * driver → worker:        byte PASS, bytes pass ({@code PassCodec})   |   byte DONE
 * worker → driver, per PASS: int chunks, {long key, bytes accumulator}*   |   int FAILED, UTF message
 * </pre>
 *
 * where {@code bytes} is an int length and the bytes. The token (random per replay) keeps a stray connection from
 * being taken for a worker; the version refuses a worker of another build in one line.
 */
final class PassProtocol {
    static final int MAGIC = 0x53474c4d; // "SGLM"
    static final int VERSION = 1;
    static final byte DONE = 0;
    static final byte PASS = 1;
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
