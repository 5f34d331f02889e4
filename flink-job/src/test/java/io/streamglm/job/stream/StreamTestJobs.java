package io.streamglm.job.stream;

import io.streamglm.engine.design.DesignBuilder;
import io.streamglm.engine.model.ModelFile;
import io.streamglm.engine.spec.ModelSpec;
import io.streamglm.engine.spec.SpecParser;
import io.streamglm.job.core.Event;
import io.streamglm.job.core.WindowSpec;
import io.streamglm.job.operators.RefitFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.time.Duration;
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
        return StreamOptions.builder(kafka.bootstrap(), in, out, SpecParser.toJson(spec).toString(), design, "spec",
                        WindowSpec.parse(window))
                .deadLetter(dlq).control(control).modelName("m").timeField("ts").keyField(keyField).mode(mode)
                .maxOutOfOrdernessMillis(1000).checkpointIntervalMillis(500).boundedOffset(bounded).groupId(name)
                .sourceParallelism(1).watermarkEveryRecord(true).shards(1).build();
    }

    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(4);

    static void run(StreamOptions options, UnaryOperator<DataStream<Event>> hook) throws Exception {
        run(options, hook, "hashmap");
    }

    static void run(StreamOptions options, UnaryOperator<DataStream<Event>> hook, String stateBackend) throws Exception {
        Configuration conf = StreamJob.configuration(stateBackend, StreamJob.localCheckpointDir(options.checkpointDir()));
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF, Duration.ofMillis(200));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        StreamJob.build(env, options, hook);
        // Fail this test, not the whole CI run: a bounded job that never ends would otherwise hang it.
        StreamJob.runToEnd(env, "bounded stream job on " + options.input(), JOB_TIMEOUT);
    }
}
