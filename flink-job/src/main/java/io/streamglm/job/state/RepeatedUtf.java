package io.streamglm.job.state;

import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads a string written by {@code DataOutput.writeUTF} (unsigned short length, modified UTF-8), returning the
 * previous String when the bytes are the same. Every row event names its topic and model, nearly always the same
 * two strings; decoding them anew for each of a backlog's million rows was a fifth of the refit operator's time.
 * Writes the same way: the previous string's bytes again when the string is the same (encoding them char by char
 * was 6% of the source threads' time), the bytes of {@code writeUTF} either way.
 *
 * <p>The remembered entry is immutable and replaced whole, so one instance may serve several threads (the
 * serializers are singletons): a race costs at most a decode, never a wrong string.
 */
final class RepeatedUtf {
    private record Entry(byte[] bytes, String value) {
    }

    private volatile Entry last = new Entry(new byte[0], "");

    String read(DataInputView in) throws IOException {
        int length = in.readUnsignedShort();
        Entry seen = last;
        byte[] known = seen.bytes;
        // Compared as they are read, so that the usual case, the same name again, allocates nothing.
        int same = 0;
        if (known.length == length) {
            while (same < length) {
                byte b = in.readByte();
                if (b != known[same]) {
                    byte[] bytes = new byte[length];
                    System.arraycopy(known, 0, bytes, 0, same);
                    bytes[same] = b;
                    in.readFully(bytes, same + 1, length - same - 1);
                    return remember(bytes);
                }
                same++;
            }
            return seen.value;
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return remember(bytes);
    }

    /** {@code out.writeUTF(value)}, without encoding the value again when it is the previous string. */
    void write(DataOutputView out, String value) throws IOException {
        Entry seen = last;
        if (!value.equals(seen.value)) { // the same String object, as usual, answers at once
            ByteArrayOutputStream buffer = new ByteArrayOutputStream(value.length() + 2);
            new DataOutputStream(buffer).writeUTF(value); // its checks and errors, e.g. a string over 65535 bytes
            byte[] framed = buffer.toByteArray();
            seen = new Entry(Arrays.copyOfRange(framed, 2, framed.length), value);
            last = seen;
        }
        out.writeShort(seen.bytes.length);
        out.write(seen.bytes);
    }

    private String remember(byte[] bytes) throws IOException {
        String value = decode(bytes);
        last = new Entry(bytes, value);
        return value;
    }

    /** Modified UTF-8 is plain ASCII for characters below 0x80; anything else goes through the JDK's decoder. */
    private static String decode(byte[] bytes) throws IOException {
        for (byte b : bytes) {
            if (b < 0 || b == 0) {
                byte[] framed = new byte[bytes.length + 2];
                framed[0] = (byte) (bytes.length >>> 8);
                framed[1] = (byte) bytes.length;
                System.arraycopy(bytes, 0, framed, 2, bytes.length);
                return new DataInputStream(new ByteArrayInputStream(framed)).readUTF();
            }
        }
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
