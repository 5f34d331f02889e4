package io.streamglm.job.cli;

import io.streamglm.engine.data.DataException;
import io.streamglm.engine.model.ModelFormatException;
import io.streamglm.engine.spec.SpecException;
import io.streamglm.job.core.JobSetupException;
import picocli.CommandLine;

import java.io.UncheckedIOException;

/**
 * Turns bad input into one clear line per problem on stderr and a non-zero exit code, instead of a stack trace
 * ({@code streamglm}'s and the bench module's command lines).
 */
public final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {
    @Override public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parseResult) {
        if (ex instanceof SpecException || ex instanceof DataException || ex instanceof ModelFormatException
                || ex instanceof UsageException || ex instanceof JobSetupException) {
            cmd.getErr().println("error: " + ex.getMessage().replace("\n", "\nerror: "));
            return StreamGlm.EXIT_BAD_INPUT;
        }
        if (ex instanceof io.streamglm.job.replay.ReplayJobException failed) {
            cmd.getErr().println("error: " + failed.getMessage());
            return 1;
        }
        if (ex instanceof UncheckedIOException io) {
            cmd.getErr().println("error: " + io.getMessage());
            return StreamGlm.EXIT_BAD_INPUT;
        }
        cmd.getErr().println("internal error: " + ex);
        ex.printStackTrace(cmd.getErr());
        return 1;
    }
}
