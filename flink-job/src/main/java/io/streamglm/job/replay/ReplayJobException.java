package io.streamglm.job.replay;

/**
 * The replay's job failed, or lost a worker: the message is one line naming the cause, which the command prints
 * as its error (exit code 1) rather than a stack trace.
 */
public final class ReplayJobException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ReplayJobException(String message, Throwable cause) {
        super(message, cause);
    }
}
