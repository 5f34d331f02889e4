package io.streamglm.engine.model;

/** A model file that cannot be read: malformed, or written by a newer streamglm. */
public final class ModelFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ModelFormatException(String message) {
        super(message);
    }
}
