package io.streamglm.job.refit;

/**
 * A refit's output record: the model id (the Kafka key), the JSON value, and the wall-clock time the refit was
 * triggered (window closed, count reached, command read). The time goes to a Kafka header, never into the JSON,
 * so records stay identical across runs and replays while a consumer can still measure refit latency.
 */
public record RefitOutput(String model, String json, long triggeredAtMillis) {
}
