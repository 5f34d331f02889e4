package io.streamglm.job.operators;

/** A refit's output record: the model id (the Kafka key) and the JSON value. */
public record RefitOutput(String model, String json) {
}
