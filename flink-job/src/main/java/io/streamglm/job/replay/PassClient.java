package io.streamglm.job.replay;

import io.streamglm.engine.accumulate.PassCodec;
import io.streamglm.engine.diagnostics.SummarySums;
import io.streamglm.engine.link.Link;
import io.streamglm.job.refit.Refitter;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A replay worker's side of the passes, free of Flink: reads its units once, keeps their chunks in memory when
 * they fit its budget, connects to the driver and answers every pass with one accumulator per chunk until the
 * driver says it is done. Data larger than the budget is not kept: each pass reads the units again (one unit in
 * memory at a time), which gives the same chunks and so the same sums, at the cost of parsing per pass.
 */
public final class PassClient {
    private static final int CONNECT_TIMEOUT_MS = 30_000;

    private PassClient() {
    }

    /** Where the driver listens and the replay's token. */
    public record Driver(String host, int port, String token) implements java.io.Serializable {
    }

    /**
     * Serves the passes of one worker and returns when the driver is done.
     *
     * @param budgetBytes heap the worker may keep its chunks in; beyond it every pass reads the units again
     * @return whether the chunks were kept in memory
     */
    public static boolean serve(Driver driver, int subtask, List<InputUnit> units, UnitReader reader,
                                Refitter refitter, long budgetBytes) throws IOException {
        Link link = refitter.model().link();
        List<UnitReader.Rows> kept = new ArrayList<>();
        List<Long> keys = new ArrayList<>();
        List<String> deadLetters = new ArrayList<>();
        long records = 0;
        long bytes = 0;
        boolean keep = true;
        for (InputUnit unit : units) {
            UnitReader.Rows rows = reader.read(unit, true);
            records += rows.records();
            deadLetters.addAll(rows.deadLetters());
            rows.chunks().forEach(c -> keys.add(c.key()));
            if (keep) {
                bytes += rows.heapBytes();
                kept.add(rows);
                if (bytes > budgetBytes) {
                    keep = false; // from now on every pass reads the units again
                    kept.clear();
                }
            }
        }
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(driver.host(), driver.port()), CONNECT_TIMEOUT_MS);
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 1 << 16));
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 1 << 16));
            out.writeInt(PassProtocol.MAGIC);
            out.writeInt(PassProtocol.VERSION);
            out.writeUTF(driver.token());
            out.writeInt(subtask);
            out.writeLong(records);
            out.writeBoolean(keep);
            out.writeInt(deadLetters.size());
            for (String json : deadLetters) {
                PassProtocol.writeBytes(out, json.getBytes(StandardCharsets.UTF_8));
            }
            out.writeInt(keys.size());
            for (long key : keys) {
                out.writeLong(key);
            }
            out.flush();
            for (byte kind = in.readByte(); kind != PassProtocol.DONE; kind = in.readByte()) {
                byte[] request = PassProtocol.readBytes(in);
                List<Long> resultKeys = new ArrayList<>(keys.size());
                List<byte[]> results = new ArrayList<>(keys.size());
                try {
                    if (kind == PassProtocol.SUMMARY) {
                        summarize(SummarySums.Request.fromBytes(request), refitter, keep ? kept : null, units,
                                reader, resultKeys, results);
                    } else {
                        Object pass = PassCodec.decode(request, link);
                        if (keep) {
                            for (UnitReader.Rows rows : kept) {
                                accumulate(pass, rows, resultKeys, results);
                            }
                        } else {
                            for (InputUnit unit : units) {
                                accumulate(pass, reader.read(unit, false), resultKeys, results);
                            }
                        }
                    }
                } catch (RuntimeException | IOException e) {
                    out.writeInt(PassProtocol.FAILED);
                    String message = String.valueOf(e.getMessage());
                    out.writeUTF(message.length() > 2000 ? message.substring(0, 2000) : message);
                    out.flush();
                    throw e;
                }
                out.writeInt(results.size());
                for (int i = 0; i < results.size(); i++) {
                    out.writeLong(resultKeys.get(i));
                    PassProtocol.writeBytes(out, results.get(i));
                }
                out.flush();
            }
        }
        return keep;
    }

    /**
     * The summary sums of all this worker's chunks, merged into one (one answer per worker: the sums hold the
     * Gini's steps, which a merge keeps compact where rows tie); none when it holds no chunk.
     *
     * @param kept the chunks kept in memory, or null to read the units again (the driver does not ask for a
     *             summary then, but a worker answers what it is asked)
     */
    private static void summarize(SummarySums.Request request, Refitter refitter, List<UnitReader.Rows> kept,
                                  List<InputUnit> units, UnitReader reader, List<Long> keys, List<byte[]> results)
            throws IOException {
        List<SummarySums> parts = new ArrayList<>();
        long first = 0;
        for (int u = 0; u < (kept != null ? kept.size() : units.size()); u++) {
            UnitReader.Rows rows = kept != null ? kept.get(u) : reader.read(units.get(u), false);
            for (UnitReader.Chunk c : rows.chunks()) {
                if (parts.isEmpty()) {
                    first = c.key();
                }
                parts.add(refitter.summarySums(c.matrix(), c.from(), c.to(), request));
            }
        }
        // pairwise, as a merge sort: each round halves the parts, so a row's steps are copied log(chunks) times
        while (parts.size() > 1) {
            List<SummarySums> next = new ArrayList<>((parts.size() + 1) / 2);
            for (int i = 0; i < parts.size(); i += 2) {
                next.add(i + 1 < parts.size() ? parts.get(i).merge(parts.get(i + 1)) : parts.get(i));
            }
            parts = next;
        }
        SummarySums total = parts.isEmpty() ? null : parts.get(0);
        if (total != null) {
            keys.add(first);
            results.add(total.toBytes());
        }
    }

    private static void accumulate(Object pass, UnitReader.Rows rows, List<Long> keys, List<byte[]> results) {
        for (UnitReader.Chunk c : rows.chunks()) {
            keys.add(c.key());
            results.add(PassCodec.accumulate(pass, c.matrix(), c.from(), c.to()));
        }
    }
}
