package io.streamglm.job.replay;

import io.streamglm.engine.design.FittedDesign;
import io.streamglm.engine.model.ModelFile;
import io.streamglm.engine.spec.ModelSpec;
import io.streamglm.engine.spec.SpecParser;
import io.streamglm.job.operators.EventDeserializer;
import io.streamglm.job.refit.Refitter;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

import java.util.ArrayList;
import java.util.List;

/**
 * A subtask of the replay's one job: takes the indexes of its input units, and at the end of its input reads them
 * and answers the driver's passes ({@link PassClient}) until the fit is done. A thin operator: the reading is
 * {@link UnitReader}'s, the protocol {@link PassClient}'s. It emits nothing; the driver gets everything over its
 * connection.
 */
final class PassWorker extends AbstractStreamOperator<String>
        implements OneInputStreamOperator<Integer, String>, BoundedOneInput {
    private static final long serialVersionUID = 1L;
    private final List<InputUnit> units;
    private final String specJson;
    private final String designJson;
    private final String timeField;
    private final EventDeserializer deserializer;
    private final PassClient.Driver driver;
    private final long budgetBytes;
    private transient List<InputUnit> mine;

    /**
     * @param budgetBytes heap all workers together may keep chunks in (0: half of this JVM's heap), shared
     *                    equally among the subtasks, which may run in one JVM
     */
    PassWorker(List<InputUnit> units, String specJson, String designJson, String timeField,
               EventDeserializer deserializer, PassClient.Driver driver, long budgetBytes) {
        this.units = List.copyOf(units);
        this.specJson = specJson;
        this.designJson = designJson;
        this.timeField = timeField;
        this.deserializer = deserializer;
        this.driver = driver;
        this.budgetBytes = budgetBytes;
    }

    @Override public void open() throws Exception {
        super.open();
        mine = new ArrayList<>();
    }

    @Override public void processElement(StreamRecord<Integer> element) {
        mine.add(units.get(element.getValue()));
    }

    @Override public void endInput() throws Exception {
        ModelSpec spec = SpecParser.parse(specJson, "spec");
        FittedDesign design = ModelFile.designFromJson(designJson);
        int subtasks = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
        long total = budgetBytes > 0 ? budgetBytes : Runtime.getRuntime().maxMemory() / 2;
        mine.sort(java.util.Comparator.comparingLong(InputUnit::prefix));
        PassClient.serve(driver, getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(), mine,
                new UnitReader(spec, design, timeField, deserializer), new Refitter(spec, design, "", ""),
                total / subtasks);
    }
}
