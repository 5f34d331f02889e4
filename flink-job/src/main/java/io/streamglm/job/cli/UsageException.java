package io.streamglm.job.cli;

/** A command-line option the command cannot use; the message names it and suggests a fix. */
public final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
