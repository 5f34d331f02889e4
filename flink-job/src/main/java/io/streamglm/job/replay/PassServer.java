package io.streamglm.job.replay;

import io.streamglm.engine.accumulate.InMemoryPasses;
import io.streamglm.engine.accumulate.InferenceAccumulator;
import io.streamglm.engine.accumulate.InferencePass;
import io.streamglm.engine.accumulate.IrlsAccumulator;
import io.streamglm.engine.accumulate.IrlsPass;
import io.streamglm.engine.accumulate.PassCodec;
import io.streamglm.engine.accumulate.RowPasses;
import io.streamglm.engine.accumulate.ScalarSums;
import io.streamglm.engine.accumulate.ThetaPass;
import io.streamglm.engine.design.DesignMatrix;
import io.streamglm.engine.design.FittedDesign;
import io.streamglm.engine.design.RowBuffer;
import io.streamglm.engine.diagnostics.SummarySums;
import io.streamglm.engine.spec.ModelSpec;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.IntConsumer;

/**
 * The driver's side of a replay's passes: the engine's {@code GlmFitter} runs unchanged on it (R's start, steps and
 * stop), and each pass it asks for is sent to every worker of one running Flink job, which answers with one
 * accumulator per chunk of the rows it keeps; the driver merges them in chunk-key order, so the sums (and the
 * fit) are those of {@link InMemoryPasses} over the same rows: {@code streamglm fit}'s, bit for bit. One job
 * reads the input once and then answers every pass, so a pass costs the accumulation and a round trip, not a job
 * submission.
 *
 * <p>A worker that dies, or a job that fails, closes the connections ({@link #abort}): the pass in progress ends
 * with a {@link ReplayJobException} naming the job's cause, never a hang.
 */
public final class PassServer implements RowPasses, AutoCloseable {
    private final ServerSocket server;
    private final int workers;
    private final String token = UUID.randomUUID().toString();
    private final DesignMatrix empty;
    private final IntConsumer onPass;
    private final List<Worker> connected = new ArrayList<>();
    private final List<String> deadLetters = new ArrayList<>();
    private volatile Throwable aborted;
    private long records;
    private boolean allKeep = true;
    private int chunks;
    private int passes;

    private record Worker(Socket socket, DataInputStream in, DataOutputStream out, int subtask, int chunks) {
    }

    /**
     * Listens on an ephemeral port of {@code bind}.
     *
     * @param workers the number of workers that will connect (the worker operator's parallelism)
     * @param onPass  told the number of each pass when it has finished
     */
    public PassServer(InetAddress bind, int workers, ModelSpec spec, FittedDesign design, IntConsumer onPass)
            throws IOException {
        this.server = new ServerSocket();
        this.server.bind(new InetSocketAddress(bind, 0), workers);
        this.workers = workers;
        this.empty = RowBuffer.forModel(spec, design).toMatrix(design.columnNames());
        this.onPass = onPass;
    }

    /** What the workers need to connect: the advertised host, the port, the token. */
    public PassClient.Driver driver(String advertisedHost) {
        return new PassClient.Driver(advertisedHost, server.getLocalPort(), token);
    }

    /**
     * Waits for every worker to read its input and connect, and takes their dead letters. Returns early with an
     * exception when the job fails first ({@link #abort}).
     */
    public void awaitWorkers() throws IOException {
        while (connected.size() < workers) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                throw failure(e);
            }
            s.setTcpNoDelay(true);
            DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream(), 1 << 16));
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(s.getOutputStream(), 1 << 16));
            try {
                if (in.readInt() != PassProtocol.MAGIC) {
                    s.close(); // not a worker of ours
                    continue;
                }
                int version = in.readInt();
                if (version != PassProtocol.VERSION) {
                    s.close();
                    throw new ReplayJobException("a replay worker speaks pass protocol version " + version
                            + ", this driver " + PassProtocol.VERSION + ": the task managers run another streamglm build",
                            null);
                }
                if (!in.readUTF().equals(token)) {
                    s.close(); // another replay's worker
                    continue;
                }
                int subtask = in.readInt();
                records += in.readLong();
                allKeep &= in.readBoolean();
                int dead = in.readInt();
                for (int i = 0; i < dead; i++) {
                    deadLetters.add(new String(PassProtocol.readBytes(in), StandardCharsets.UTF_8));
                }
                int keys = in.readInt();
                for (int i = 0; i < keys; i++) {
                    in.readLong(); // the keys come again with every pass's accumulators
                }
                chunks += keys;
                synchronized (connected) {
                    connected.add(new Worker(s, in, out, subtask, keys));
                }
            } catch (IOException e) {
                s.close();
                throw failure(e);
            }
        }
        synchronized (connected) {
            connected.sort(Comparator.comparingInt(Worker::subtask));
        }
    }

    /** Ends the workers' loops: the job then finishes. */
    public void finish() throws IOException {
        for (Worker w : connected) {
            w.out().writeByte(PassProtocol.DONE);
            w.out().flush();
        }
    }

    /**
     * The job failed (or ended before the fit did): closes every connection so that a pass waiting on a worker
     * ends with {@code cause}.
     */
    public void abort(Throwable cause) {
        aborted = cause;
        close();
    }

    @Override public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing: nothing left to do with it
        }
        synchronized (connected) {
            for (Worker w : connected) {
                try {
                    w.socket().close();
                } catch (IOException ignored) {
                    // closing
                }
            }
        }
    }

    public int passes() {
        return passes;
    }

    /** Records the workers read (rows and dead letters). */
    public long records() {
        return records;
    }

    /** Whether every worker keeps its chunks in memory (none reads its input again for each pass). */
    public boolean allKeep() {
        return allKeep;
    }

    /** Chunks the workers hold. */
    public int chunks() {
        return chunks;
    }

    /** Dead letters the workers found, as JSON lines, in the order of their workers. */
    public List<String> deadLetters() {
        return deadLetters;
    }

    @Override public int columns() {
        return empty.columns();
    }

    @Override public IrlsAccumulator irls(IrlsPass pass) {
        return merge(run(PassCodec.encode(pass)), IrlsAccumulator::heapify,
                InMemoryPasses.irls(empty, 0, 0, pass), IrlsAccumulator::merge);
    }

    @Override public InferenceAccumulator inference(InferencePass pass) {
        return merge(run(PassCodec.encode(pass)), InferenceAccumulator::heapify,
                InMemoryPasses.inference(empty, 0, 0, pass), InferenceAccumulator::merge);
    }

    @Override public ScalarSums theta(ThetaPass pass) {
        return merge(run(PassCodec.encode(pass)), ScalarSums::heapify,
                InMemoryPasses.theta(empty, 0, 0, pass), ScalarSums::merge);
    }

    /**
     * The diagnostics summary sums of every row the workers hold: each worker answers with its chunks' merged
     * sums, merged here in the order of their first chunks. Null when no worker holds a row.
     */
    public SummarySums summary(SummarySums.Request request) {
        List<byte[]> parts = run(PassProtocol.SUMMARY, request.toBytes(), false);
        SummarySums total = null;
        for (byte[] part : parts) {
            SummarySums sums = SummarySums.fromBytes(part);
            total = total == null ? sums : total.merge(sums);
        }
        return total;
    }

    private List<byte[]> run(byte[] pass) {
        return run(PassProtocol.PASS, pass, true);
    }

    /**
     * Sends a request to every worker, then takes their answers: in key order.
     *
     * @param perChunk each worker answers for each of its chunks (a pass), else once or not at all (a summary)
     */
    private List<byte[]> run(byte kind, byte[] pass, boolean perChunk) {
        record Part(long key, byte[] bytes) {
        }
        List<Part> parts = new ArrayList<>(chunks);
        try {
            for (Worker w : connected) {
                w.out().writeByte(kind);
                PassProtocol.writeBytes(w.out(), pass);
                w.out().flush();
            }
            for (Worker w : connected) {
                int n = w.in().readInt();
                if (n == PassProtocol.FAILED) {
                    throw new ReplayJobException("replay pass " + (passes + 1) + " failed on worker "
                            + w.subtask() + ": " + w.in().readUTF(), null);
                }
                if (perChunk ? n != w.chunks() : n > 1) {
                    throw new ReplayJobException("replay pass " + (passes + 1) + ": worker " + w.subtask()
                            + " answered for " + n + " chunks, it holds " + w.chunks(), null);
                }
                for (int i = 0; i < n; i++) {
                    parts.add(new Part(w.in().readLong(), PassProtocol.readBytes(w.in())));
                }
            }
        } catch (IOException e) {
            throw failure(e);
        }
        parts.sort(Comparator.comparingLong(Part::key));
        onPass.accept(++passes);
        return parts.stream().map(Part::bytes).toList();
    }

    /** The job's cause when it failed, else the connection's. */
    private ReplayJobException failure(IOException e) {
        Throwable cause = aborted;
        if (cause != null) {
            return new ReplayJobException("the replay job failed: " + rootMessage(cause), cause);
        }
        return new ReplayJobException("replay pass " + (passes + 1) + ": lost a worker (" + e.getMessage() + ")", e);
    }

    static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null ? root.getClass().getSimpleName() : message;
    }

    @FunctionalInterface
    private interface Merger<A> {
        void merge(A into, A other);
    }

    /** Merges in order; {@code none} is the accumulator when there are no chunks at all. */
    private static <A> A merge(List<byte[]> parts, Function<byte[], A> read, A none, Merger<A> merger) {
        if (parts.isEmpty()) {
            return none;
        }
        A total = read.apply(parts.get(0));
        for (int i = 1; i < parts.size(); i++) {
            merger.merge(total, read.apply(parts.get(i)));
        }
        return total;
    }
}
