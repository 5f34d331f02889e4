package io.streamglm.engine.accumulate;

import io.streamglm.engine.family.Families;
import io.streamglm.engine.family.Family;
import io.streamglm.engine.family.NegativeBinomial;
import io.streamglm.engine.family.Tweedie;
import io.streamglm.engine.link.Link;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The driver's passes as bytes, so that a distributed pass ships exactly the pass the fitter asked for to the task
 * managers: an explicit, versioned format rather than Java serialization of engine objects. The link is not
 * shipped: every pass of a fit uses the model's link, which the receiving side rebuilds from the spec. The
 * family is shipped, because glm.nb passes change it (Poisson start, then negative binomials of each theta).
 */
public final class PassCodec {
    private static final byte VERSION = 1;
    private static final byte IRLS = 1;
    private static final byte INFERENCE = 2;
    private static final byte THETA = 3;

    private PassCodec() {
    }

    public static byte[] encode(IrlsPass pass) {
        return write(out -> {
            out.writeByte(IRLS);
            family(out, pass.family());
            point(out, pass.point());
            out.writeBoolean(pass.interceptOnly());
        });
    }

    public static byte[] encode(InferencePass pass) {
        return write(out -> {
            out.writeByte(INFERENCE);
            family(out, pass.family());
            doubles(out, pass.beta());
            point(out, pass.solvedAt());
            doubles(out, pass.covUnscaled());
            out.writeDouble(pass.deviance());
            out.writeDouble(pass.sumWeights());
            out.writeBoolean(pass.nullMean() != null);
            out.writeDouble(pass.nullMean() == null ? 0 : pass.nullMean());
        });
    }

    public static byte[] encode(ThetaPass pass) {
        return write(out -> {
            out.writeByte(THETA);
            doubles(out, pass.beta());
            out.writeByte(pass.kind().ordinal());
            out.writeDouble(pass.theta());
        });
    }

    /** Any pass of the fitter: an {@link IrlsPass}, {@link InferencePass} or {@link ThetaPass}. */
    public static byte[] encodeAny(Object pass) {
        if (pass instanceof IrlsPass p) {
            return encode(p);
        }
        if (pass instanceof InferencePass p) {
            return encode(p);
        }
        return encode((ThetaPass) pass);
    }

    /** The pass of {@code bytes}: an {@link IrlsPass}, {@link InferencePass} or {@link ThetaPass}. */
    public static Object decode(byte[] bytes, Link link) {
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes))) {
            byte version = in.readByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("pass format version " + version + " is not known (this build reads "
                        + VERSION + "): driver and task managers run different streamglm builds");
            }
            byte kind = in.readByte();
            return switch (kind) {
                case IRLS -> new IrlsPass(family(in), link, point(in), in.readBoolean());
                case INFERENCE -> {
                    Family f = family(in);
                    double[] beta = doubles(in);
                    Point solvedAt = point(in);
                    double[] cov = doubles(in);
                    double deviance = in.readDouble();
                    double sumWeights = in.readDouble();
                    boolean hasNullMean = in.readBoolean();
                    double nullMean = in.readDouble();
                    yield new InferencePass(f, link, beta, solvedAt, cov, deviance, sumWeights,
                            hasNullMean ? nullMean : null);
                }
                case THETA -> new ThetaPass(link, doubles(in), ThetaPass.Kind.values()[in.readByte()], in.readDouble());
                default -> throw new IllegalArgumentException("unknown pass kind " + kind);
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The accumulator of a decoded pass over all of {@code passes}' rows (or cells), as bytes. Over a replay chunk
     * ({@link InMemoryPasses#CHUNK_ROWS} rows at most) in memory this is the chunk's accumulator of an in-memory
     * fit, so distributed and in-memory passes add the same sums.
     */
    public static byte[] accumulate(Object pass, RowPasses passes) {
        if (pass instanceof IrlsPass p) {
            return passes.irls(p).toByteArray();
        }
        if (pass instanceof InferencePass p) {
            return passes.inference(p).toByteArray();
        }
        return passes.theta((ThetaPass) pass).toByteArray();
    }

    /**
     * The accumulator of a decoded pass over rows [from, to) of {@code matrix}, as bytes: with a range that is one
     * chunk of {@link InMemoryPasses#CHUNK_ROWS} rows this is exactly that chunk's accumulator in an in-memory fit,
     * so a replay worker holding the chunks of a file's split adds the sums {@code streamglm fit} adds.
     */
    public static byte[] accumulate(Object pass, io.streamglm.engine.design.DesignMatrix matrix, int from, int to) {
        if (pass instanceof IrlsPass p) {
            return InMemoryPasses.irls(matrix, from, to, p).toByteArray();
        }
        if (pass instanceof InferencePass p) {
            return InMemoryPasses.inference(matrix, from, to, p).toByteArray();
        }
        return InMemoryPasses.theta(matrix, from, to, (ThetaPass) pass).toByteArray();
    }

    private static void family(DataOutputStream out, Family f) throws IOException {
        out.writeUTF(f.name());
        double parameter = f instanceof Tweedie t ? t.varPower() : f instanceof NegativeBinomial nb ? nb.theta() : 0;
        out.writeDouble(parameter);
    }

    private static Family family(DataInputStream in) throws IOException {
        String name = in.readUTF();
        double parameter = in.readDouble();
        return Families.byName(name, parameter, parameter)
                .orElseThrow(() -> new IllegalArgumentException("unknown family " + name));
    }

    private static void point(DataOutputStream out, Point p) throws IOException {
        out.writeByte(p.kind().ordinal());
        out.writeBoolean(p.beta() != null);
        if (p.beta() != null) {
            doubles(out, p.beta());
        }
    }

    private static Point point(DataInputStream in) throws IOException {
        Point.Kind kind = Point.Kind.values()[in.readByte()];
        return new Point(kind, in.readBoolean() ? doubles(in) : null);
    }

    private static void doubles(DataOutputStream out, double[] v) throws IOException {
        out.writeInt(v.length);
        for (double d : v) {
            out.writeDouble(d);
        }
    }

    private static double[] doubles(DataInputStream in) throws IOException {
        double[] v = new double[in.readInt()];
        for (int i = 0; i < v.length; i++) {
            v[i] = in.readDouble();
        }
        return v;
    }

    @FunctionalInterface
    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private static byte[] write(Writer w) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            w.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
