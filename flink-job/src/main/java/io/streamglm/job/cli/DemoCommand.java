package io.streamglm.job.cli;

import io.streamglm.job.demo.DemoRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/**
 * {@code streamglm demo}: an embedded Kafka broker, a Flink MiniCluster running the stream job, a synthetic
 * producer with known true coefficients (drifting halfway), a live terminal table and a local web page.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Stream synthetic claims through an embedded Kafka broker and a Flink job, refit hourly"
                + " windows and show the estimates against the truth (terminal and web page).")
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--max-events", description = "stop cleanly after this many events and their last window")
    Long maxEvents;

    @Option(names = "--rate", defaultValue = "5000", description = "events per second (default ${DEFAULT-VALUE})")
    double rate;

    @Option(names = "--port", defaultValue = "8088", description = "web page port, 0 for any free one (default ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--linger", defaultValue = "0", description = "keep serving the page this many seconds after the end")
    int linger;

    @Override public Integer call() throws Exception {
        if (maxEvents != null && maxEvents < 1) {
            throw new UsageException("--max-events must be >= 1");
        }
        if (!(rate > 0)) {
            throw new UsageException("--rate must be > 0");
        }
        return DemoRunner.run(maxEvents, rate, port, linger, System.out);
    }
}
