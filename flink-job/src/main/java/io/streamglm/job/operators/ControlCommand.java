package io.streamglm.job.operators;

/**
 * An on-demand refit read from the control topic, e.g. {@code {"model": "freq", "refit": "now"}} (the rows of
 * the open window) or {@code {"model": "freq", "refit": "last:7d"}} (the rows of the last seven days of event
 * time before the watermark). {@code model} matches a model id or its name (all keys of a keyed model).
 *
 * @param id a stable id for the refit (topic/partition/offset of the command)
 */
public record ControlCommand(String model, String refit, String id) {

    public boolean matches(String modelId) {
        return modelId.equals(model) || modelId.startsWith(model + "/");
    }
}
