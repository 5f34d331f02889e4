package io.streamglm.engine.model;

/**
 * What produced a model: the spec's hash, the engine version, the data and when.
 *
 * @param source      "fit", "stream" or "replay"
 * @param data        the data file, topic or window the rows came from
 * @param rows        rows used
 * @param createdAt   ISO-8601 instant
 */
public record Provenance(String source, String specSha256, String engineVersion, String data, long rows,
                         String createdAt) {
}
