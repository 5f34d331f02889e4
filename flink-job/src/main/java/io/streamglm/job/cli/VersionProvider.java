package io.streamglm.job.cli;

import io.streamglm.engine.model.EngineVersion;
import picocli.CommandLine;

/** Prints the engine's build version. */
public final class VersionProvider implements CommandLine.IVersionProvider {
    @Override public String[] getVersion() {
        return new String[]{"streamglm " + EngineVersion.get()};
    }
}
