package io.streamglm.job.core;

/**
 * A job cannot be set up as asked (an option, a checkpoint directory, the state it would resume): the message is
 * one line that names the option or path and says what to do. Thrown before anything is submitted.
 */
public final class JobSetupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public JobSetupException(String message) {
        super(message);
    }
}
