package io.streamglm.job.cli;

import io.streamglm.connectors.csv.CsvTableReader;
import io.streamglm.engine.design.DesignBuilder;
import io.streamglm.engine.design.FittedDesign;
import io.streamglm.engine.model.ModelFile;
import io.streamglm.engine.spec.ModelSpec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;

/**
 * Where a job's frozen design (levels, knots, encodings) comes from, and the provenance label that says so:
 * a fitted model file, a CSV sample fitted like {@code streamglm fit}, or the spec alone.
 */
record DesignChoice(FittedDesign design, String source) {

    static DesignChoice fromModel(Path model) {
        try {
            return new DesignChoice(ModelFile.read(Files.readString(model), model.toString()).design(), "model:" + model);
        } catch (IOException e) {
            throw new UncheckedIOException(model + ": " + e.getMessage(), e);
        }
    }

    /** @param label what the sample is to the job, e.g. {@code warmup} or {@code data} */
    static DesignChoice fromSample(ModelSpec spec, Path csv, String label) {
        var table = CsvTableReader.read(csv, spec.numericColumnUsage(), spec.categoricalColumnUsage());
        return new DesignChoice(DesignBuilder.fit(spec, table, new ArrayList<>()),
                label + ":" + csv + " (" + table.rows() + " rows)");
    }

    /** The spec's own design; a spec that needs data for it fails with every missing level or knot named. */
    static DesignChoice fromSpec(ModelSpec spec) {
        return new DesignChoice(DesignBuilder.freeze(spec), "spec");
    }
}
