package io.streamglm.job.sql;

import io.streamglm.engine.model.ModelFile;
import io.streamglm.engine.model.Scorer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Where the SQL functions find models by name. A name resolves to a source, from (in order) what the {@code sql}
 * command registered, the job parameter {@code streamglm.model.NAME}, or the system property of the same name:
 * <ul>
 *   <li>a model file path ({@code /models/freq.json} or {@code file:/models/freq.json}), loaded once;</li>
 *   <li>a model log {@code kafka://HOST:PORT/TOPIC/MODEL_ID}: the newest converged refit, followed live.</li>
 * </ul>
 */
public final class ModelRegistry {
    private static final Map<String, String> SOURCES = new ConcurrentHashMap<>();
    private static final Map<String, Scorer> FILES = new ConcurrentHashMap<>();
    private static final Map<String, ModelLog> LOGS = new ConcurrentHashMap<>();

    private ModelRegistry() {
    }

    /** Registers (or replaces) a model source under a name for this JVM. */
    public static void register(String name, String source) {
        SOURCES.put(name, source);
    }

    /** The current scorer for a model name, or null when the name is unknown or its model not yet available. */
    static Scorer scorer(String name, UnaryOperator<String> parameters) {
        String source = SOURCES.get(name);
        if (source == null && parameters != null) {
            source = parameters.apply("streamglm.model." + name);
        }
        if (source == null) {
            source = System.getProperty("streamglm.model." + name);
        }
        if (source == null) {
            return null;
        }
        if (source.startsWith("kafka://")) {
            String rest = source.substring("kafka://".length());
            String[] parts = rest.split("/", 3);
            if (parts.length != 3) {
                throw new IllegalArgumentException("model " + name + ": use kafka://HOST:PORT/TOPIC/MODEL_ID, got " + source);
            }
            ModelLog log = LOGS.computeIfAbsent(source, s -> new ModelLog(parts[0], parts[1], parts[2]));
            return log.current(Duration.ofSeconds(30));
        }
        String path = source.startsWith("file:") ? source.substring(5) : source;
        return FILES.computeIfAbsent(path, p -> {
            try {
                return new Scorer(ModelFile.read(Files.readString(Path.of(p)), p));
            } catch (IOException e) {
                throw new UncheckedIOException("model " + name + ": cannot read " + p, e);
            }
        });
    }
}
