package io.streamglm.job.stream;

import io.streamglm.engine.design.DesignBuilder;
import io.streamglm.engine.model.ModelFile;
import io.streamglm.engine.spec.ModelSpec;
import io.streamglm.engine.spec.SpecParser;
import io.streamglm.job.operators.Event;
import io.streamglm.job.operators.RefitFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;

/** Runs stream jobs in tests: options with unique topics, generic types disabled (no Kryo), restarts allowed. */
final class StreamTestJobs {
    private StreamTestJobs() {
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static StreamOptions options(KafkaTestSupport kafka, String specJson, String window, String in, String out,
                                 String dlq, String control, String keyField, RefitFunction.Mode mode, Long bounded) {
        ModelSpec spec = SpecParser.parse(specJson, "spec");
        String design = ModelFile.designToJson(DesignBuilder.freeze(spec));
        String name = unique("job");
        return new StreamOptions(kafka.bootstrap(), in, out, dlq, control, SpecParser.toJson(spec).toString(), design,
                "spec", "m", WindowSpec.parse(window), "ts", keyField, mode, 1.0, 0, 1000, 0, 10_000, 2, null, 500,
                Map.of(), bounded, name, name, 1, true);
    }

    private static final int JOB_TIMEOUT_MINUTES = 4;

    static void run(StreamOptions options, UnaryOperator<DataStream<Event>> hook) throws Exception {
        run(options, hook, "hashmap");
    }

    static void run(StreamOptions options, UnaryOperator<DataStream<Event>> hook, String stateBackend) throws Exception {
        Configuration conf = StreamJob.configuration(options, stateBackend);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        StreamJob.build(env, options, hook);
        JobClient job = env.executeAsync("test " + options.input());
        try {
            job.getJobExecutionResult().get(JOB_TIMEOUT_MINUTES, TimeUnit.MINUTES);
        } catch (TimeoutException e) {
            // Fail this test, not the whole CI run: a bounded job that never ends would otherwise hang it.
            String status = String.valueOf(job.getJobStatus().get());
            job.cancel();
            throw new AssertionError("bounded stream job on " + options.input() + " did not finish in "
                    + JOB_TIMEOUT_MINUTES + " minutes (status " + status + ")", e);
        }
    }
}
