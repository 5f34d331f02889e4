package io.streamglm.job.stream;

import io.streamglm.job.core.JobSetupException;
import io.streamglm.job.core.WindowSpec;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;

import java.time.Duration;

/**
 * How a failed job restarts, from {@code --restart-strategy}:
 *
 * <ul>
 *   <li>{@code exponential} (the default, as Flink's own for a checkpointed job): no limit on restarts, the delay
 *       growing from 1 s by 1.5x to at most {@code MAX} (default 1 min) and reset after an hour without failure;
 *       {@code exponential:30s} caps it at 30 s;</li>
 *   <li>{@code fixed-delay:ATTEMPTS:DELAY}, e.g. {@code fixed-delay:10:5s}: at most ATTEMPTS restarts in the job's
 *       life (they never reset, so a long-running job dies at its ATTEMPTS+1st failure);</li>
 *   <li>{@code failure-rate:N:INTERVAL:DELAY}, e.g. {@code failure-rate:5:10m:5s}: fails for good only after more
 *       than N failures within INTERVAL;</li>
 *   <li>{@code none}: the first failure ends the job.</li>
 * </ul>
 */
public record RestartStrategy(String text) {
    public static final RestartStrategy DEFAULT = new RestartStrategy("exponential");

    /** Checks the text at once, so a bad one is refused before anything starts. */
    public RestartStrategy {
        applyTo(new Configuration(), text);
    }

    public static RestartStrategy parse(String text) {
        return new RestartStrategy(text.trim());
    }

    public void applyTo(Configuration conf) {
        applyTo(conf, text);
    }

    /** What the strategy means, for the line the job prints at start. */
    public String describe() {
        String[] p = text.split(":");
        return switch (p[0]) {
            case "exponential" -> "exponential-delay, no limit on restarts, delay 1s growing to at most "
                    + (p.length > 1 ? p[1] : "1m");
            case "fixed-delay" -> "fixed-delay, at most " + p[1] + " restarts in the job's life, " + p[2] + " apart";
            case "failure-rate" -> "failure-rate, fails for good after more than " + p[1] + " failures in " + p[2];
            default -> "none: the first failure ends the job";
        };
    }

    private static void applyTo(Configuration conf, String text) {
        String[] p = text.split(":", -1);
        switch (p[0]) {
            case "exponential" -> {
                expectParts(text, p, 1, 2);
                conf.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
                conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF, Duration.ofSeconds(1));
                conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS, Integer.MAX_VALUE);
                conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF,
                        p.length > 1 ? duration(text, p[1]) : Duration.ofMinutes(1));
            }
            case "fixed-delay" -> {
                expectParts(text, p, 3, 3);
                conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
                conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, count(text, p[1]));
                conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, duration(text, p[2]));
            }
            case "failure-rate" -> {
                expectParts(text, p, 4, 4);
                conf.set(RestartStrategyOptions.RESTART_STRATEGY, "failure-rate");
                conf.set(RestartStrategyOptions.RESTART_STRATEGY_FAILURE_RATE_MAX_FAILURES_PER_INTERVAL, count(text, p[1]));
                conf.set(RestartStrategyOptions.RESTART_STRATEGY_FAILURE_RATE_FAILURE_RATE_INTERVAL, duration(text, p[2]));
                conf.set(RestartStrategyOptions.RESTART_STRATEGY_FAILURE_RATE_DELAY, duration(text, p[3]));
            }
            case "none" -> {
                expectParts(text, p, 1, 1);
                conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
            }
            default -> throw bad(text);
        }
    }

    private static void expectParts(String text, String[] parts, int min, int max) {
        if (parts.length < min || parts.length > max) {
            throw bad(text);
        }
    }

    private static int count(String text, String n) {
        try {
            int v = Integer.parseInt(n.trim());
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below with the forms that work
        }
        throw bad(text);
    }

    private static Duration duration(String text, String d) {
        try {
            return Duration.ofMillis(WindowSpec.duration(d));
        } catch (RuntimeException e) {
            throw bad(text);
        }
    }

    private static JobSetupException bad(String text) {
        return new JobSetupException("--restart-strategy " + text + ": use exponential, exponential:MAX_DELAY (e.g."
                + " exponential:30s), fixed-delay:ATTEMPTS:DELAY (e.g. fixed-delay:10:5s),"
                + " failure-rate:FAILURES:INTERVAL:DELAY (e.g. failure-rate:5:10m:5s) or none");
    }
}
