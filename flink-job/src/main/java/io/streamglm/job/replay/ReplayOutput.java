package io.streamglm.job.replay;

/**
 * What a replay job hands back to the driver: a refit record ({@code deadLetter} false) or a dead letter, both
 * as JSON. A record, so Flink serializes it as a POJO (no Kryo).
 */
public record ReplayOutput(boolean deadLetter, String json) {
}
