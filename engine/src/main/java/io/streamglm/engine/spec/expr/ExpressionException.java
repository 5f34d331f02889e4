package io.streamglm.engine.spec.expr;

/** An expression that cannot be parsed; the message names the 1-based character position. */
public final class ExpressionException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int position;

    public ExpressionException(String message, int position) {
        super(message + " at character " + (position + 1));
        this.position = position;
    }

    public int position() {
        return position;
    }
}
