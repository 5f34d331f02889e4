package io.streamglm.job.replay;

import io.streamglm.connectors.csv.CsvSplits;
import io.streamglm.connectors.csv.CsvTableReader;
import io.streamglm.engine.accumulate.InMemoryPasses;
import io.streamglm.engine.data.DataTable;
import io.streamglm.engine.design.DesignBuilder;
import io.streamglm.engine.design.DesignMatrix;
import io.streamglm.engine.design.FittedDesign;
import io.streamglm.engine.diagnostics.ActualExpected;
import io.streamglm.engine.diagnostics.SummarySums;
import io.streamglm.engine.diagnostics.WindowSummary;
import io.streamglm.engine.fit.GlmFitter;
import io.streamglm.engine.fit.GlmModel;
import io.streamglm.engine.fit.GlmResult;
import io.streamglm.engine.fit.TrainingSet;
import io.streamglm.engine.model.ModelFile;
import io.streamglm.engine.spec.ModelSpec;
import io.streamglm.engine.spec.SpecParser;
import io.streamglm.job.operators.EventDeserializer;
import io.streamglm.job.refit.Refitter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The replay's pass protocol without Flink: workers on threads, the driver's fitter on this one. */
class PassServerTest {
    private static final String SPEC = "{\"model\": \"m\", \"response\": \"y\", \"family\": \"poisson\","
            + " \"exposure\": \"expo\", \"terms\": {\"x\": {\"type\": \"linear\"}, \"cat\": {\"type\": \"categorical\"}}}";

    @TempDir
    Path tmp;

    /**
     * Three splits over two workers, one keeping its chunks and one reading them again every pass: the fit is the
     * in-memory fit of the whole file, bit for bit, with the same number of iterations.
     */
    @Test
    void passesAnsweredByWorkersEqualTheInMemoryFit() throws Exception {
        Path file = data(90_000); // three chunks of 32,768 rows
        ModelSpec spec = SpecParser.parse(SPEC, "spec");
        DataTable table = CsvTableReader.read(file, spec.numericColumnUsage(), spec.categoricalColumnUsage());
        FittedDesign design = DesignBuilder.fit(spec, table, new ArrayList<>());
        GlmModel model = GlmModel.of(spec, design);
        DesignMatrix matrix = TrainingSet.build(spec, model, design, table, new ArrayList<>());
        GlmResult expected = GlmFitter.fit(new InMemoryPasses(matrix, ForkJoinPool.commonPool()), model);

        CsvSplits.Plan plan = CsvSplits.plan(file, 3, InMemoryPasses.CHUNK_ROWS);
        List<InputUnit> units = plan.splits().stream().map(s -> new InputUnit(file.toString(), 0, plan, s)).toList();
        assertThat(units).allMatch(u -> u.records() > 0);
        UnitReader reader = new UnitReader(spec, design, null, new EventDeserializer(SPEC,
                ModelFile.designToJson(design), "m", null, null, 0));
        Refitter refitter = new Refitter(spec, design, "", "");
        List<Integer> passes = new ArrayList<>();
        try (PassServer server = new PassServer(InetAddress.getLoopbackAddress(), 2, spec, design, passes::add)) {
            PassClient.Driver driver = server.driver(InetAddress.getLoopbackAddress().getHostAddress());
            CompletableFuture<Boolean> keeps = CompletableFuture.supplyAsync(() -> serve(driver, 0,
                    List.of(units.get(0), units.get(2)), reader, refitter, Long.MAX_VALUE));
            CompletableFuture<Boolean> rereads = CompletableFuture.supplyAsync(() -> serve(driver, 1,
                    List.of(units.get(1)), reader, refitter, 1));
            server.awaitWorkers();
            assertThat(server.chunks()).isEqualTo(3);
            assertThat(server.records()).isEqualTo(90_000);
            assertThat(server.allKeep()).as("worker 1 reads its split again for each pass").isFalse();
            GlmResult fitted = GlmFitter.fit(server, model);
            int fitPasses = server.passes();
            // the diagnostics summary from the workers' sums is the one of all rows in memory
            WindowSummary summary = server.summary(new SummarySums.Request(
                    WindowSummary.PreviousModel.of("", fitted), null)).summary(design, fitted, null, true);
            WindowSummary want = WindowSummary.compute(matrix, design, model, expected,
                    WindowSummary.exposure(spec, matrix), null);
            assertThat(summary.gini()).isCloseTo(want.gini(), within(1e-10));
            assertThat(summary.giniNormalised()).isCloseTo(want.giniNormalised(), within(1e-10));
            List<ActualExpected.Level> got = summary.actualExpected().terms().get("cat");
            List<ActualExpected.Level> levels = want.actualExpected().terms().get("cat");
            assertThat(got).hasSize(4);
            for (int l = 0; l < 4; l++) {
                assertThat(got.get(l).rows()).isEqualTo(levels.get(l).rows());
                assertThat(got.get(l).expected()).isCloseTo(levels.get(l).expected(), within(1e-9));
                assertThat(got.get(l).ciLower()).isCloseTo(levels.get(l).ciLower(), within(1e-12));
            }
            assertThat(server.passes()).isEqualTo(fitPasses + 1);
            server.finish();
            assertThat(keeps.get(30, TimeUnit.SECONDS)).isTrue();
            assertThat(rereads.get(30, TimeUnit.SECONDS)).isFalse();
            assertThat(fitted.iterations()).isEqualTo(expected.iterations());
            assertThat(fitted.coefficients()).isEqualTo(expected.coefficients());
            assertThat(fitted.deviance()).isEqualTo(expected.deviance());
            assertThat(fitted.covariance()).isEqualTo(expected.covariance());
            assertThat(passes).hasSize(server.passes()).last().isEqualTo(server.passes());
        }
    }

    /** A worker that disappears in the middle of a pass ends the pass with an error, not a wait. */
    @Test
    void aWorkerLostInAPassEndsItWithAnError() throws Exception {
        ModelSpec spec = SpecParser.parse(SPEC, "spec");
        FittedDesign design = design(spec, data(100));
        try (PassServer server = new PassServer(InetAddress.getLoopbackAddress(), 1, spec, design, n -> { })) {
            PassClient.Driver driver = server.driver("127.0.0.1");
            CompletableFuture<Void> dies = CompletableFuture.runAsync(() -> {
                try (Socket s = new Socket(driver.host(), driver.port())) {
                    DataOutputStream out = hello(s, driver.token());
                    out.writeInt(0);
                    out.writeLong(100);
                    out.writeBoolean(true);
                    out.writeInt(0);
                    out.writeInt(1);
                    out.writeLong(0);
                    out.flush();
                    new DataInputStream(s.getInputStream()).readByte(); // the first pass: then the worker is gone
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            server.awaitWorkers();
            assertThatThrownBy(() -> GlmFitter.fit(server, GlmModel.of(spec, design)))
                    .isInstanceOf(ReplayJobException.class).hasMessageContaining("lost a worker");
            dies.get(10, TimeUnit.SECONDS);
        }
    }

    /** A job that fails before its workers connect ends the driver's wait with the job's cause. */
    @Test
    void aFailedJobEndsTheWaitWithItsCause() throws Exception {
        ModelSpec spec = SpecParser.parse(SPEC, "spec");
        FittedDesign design = design(spec, data(100));
        try (PassServer server = new PassServer(InetAddress.getLoopbackAddress(), 2, spec, design, n -> { })) {
            // a stray connection with another token is not taken for a worker
            try (Socket stray = new Socket("127.0.0.1", server.driver("127.0.0.1").port())) {
                DataOutputStream out = hello(stray, "another replay");
                out.flush();
                CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS).execute(() ->
                        server.abort(new RuntimeException("job failed",
                                new java.io.FileNotFoundException("claims.csv (No such file or directory)"))));
                assertThatThrownBy(server::awaitWorkers).isInstanceOf(ReplayJobException.class)
                        .hasMessage("the replay job failed: claims.csv (No such file or directory)");
            }
        }
    }

    private static boolean serve(PassClient.Driver driver, int subtask, List<InputUnit> units, UnitReader reader,
                                 Refitter refitter, long budget) {
        try {
            return PassClient.serve(driver, subtask, units, reader, refitter, budget);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static FittedDesign design(ModelSpec spec, Path file) {
        return DesignBuilder.fit(spec, CsvTableReader.read(file, spec.numericColumnUsage(),
                spec.categoricalColumnUsage()), new ArrayList<>());
    }

    /** Opens a connection as a worker does: the protocol's magic number and version, then the replay's token. */
    private static DataOutputStream hello(Socket socket, String token) throws java.io.IOException {
        DataOutputStream out = new DataOutputStream(socket.getOutputStream());
        out.writeInt(PassProtocol.MAGIC);
        out.writeInt(PassProtocol.VERSION);
        out.writeUTF(token);
        return out;
    }

    private Path data(int rows) throws java.io.IOException {
        SplittableRandom r = new SplittableRandom(7);
        StringBuilder csv = new StringBuilder("y,x,cat,expo\n");
        String[] levels = {"a", "b", "c", "d"};
        for (int i = 0; i < rows; i++) {
            double x = Math.rint(r.nextDouble(-1, 1) * 1e4) / 1e4;
            int c = r.nextInt(levels.length);
            double expo = 0.5 + r.nextInt(5) / 10.0;
            double mu = expo * Math.exp(0.2 + 0.5 * x + 0.1 * c);
            int y = 0;
            double p = Math.exp(-mu);
            double u = r.nextDouble();
            double sum = p;
            while (u > sum && y < 50) {
                y++;
                p *= mu / y;
                sum += p;
            }
            csv.append(y).append(',').append(x).append(',').append(levels[c]).append(',').append(expo).append('\n');
        }
        Path file = tmp.resolve("data-" + rows + ".csv");
        Files.writeString(file, csv);
        return file;
    }
}
