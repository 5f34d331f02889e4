package io.streamglm.job.cli;

import io.streamglm.engine.data.DataTable;
import io.streamglm.engine.model.EngineVersion;
import io.streamglm.engine.model.ModelFile;
import io.streamglm.engine.model.Provenance;
import io.streamglm.engine.penalized.PathTable;
import io.streamglm.engine.penalized.PenalizedFitting;
import io.streamglm.engine.penalized.PenalizedJson;
import io.streamglm.engine.report.PathPlot;
import io.streamglm.engine.spec.ModelSpec;

import java.nio.file.Path;
import java.time.Instant;

/** {@code streamglm fit} of a spec with a {@code penalty}: glmnet's path, its JSON, table and model file. */
final class PenalizedFit {
    private PenalizedFit() {
    }

    static int run(ModelSpec spec, DataTable table, Path data, Path out, Path modelOut, Path plotPath, boolean quiet) {
        PenalizedFitting.Output output = PenalizedFitting.fit(spec, table);
        AtomicFiles.writeString(out, PenalizedJson.toJson(output.result()).toPrettyString() + "\n");
        if (modelOut != null) {
            Provenance provenance = new Provenance("fit", ModelFile.specSha256(spec), EngineVersion.get(),
                    data.toAbsolutePath().toString(), output.rows(), Instant.now().toString());
            AtomicFiles.writeString(modelOut, ModelFile.toJson(spec, output.design(), output.asGlmResult(), provenance)
                    .toPrettyString() + "\n");
        }
        if (plotPath != null) {
            AtomicFiles.writeString(plotPath, PathPlot.svg(output.result()));
        }
        if (!quiet) {
            System.out.print(PathTable.format(output.result()));
        }
        return 0;
    }
}
