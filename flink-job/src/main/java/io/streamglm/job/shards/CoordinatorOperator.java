package io.streamglm.job.shards;

import io.streamglm.job.core.Partial;
import io.streamglm.job.refit.RefitOutput;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

import java.util.List;

/**
 * Runs the {@link PassCoordinator} and ends the feedback loop of a bounded run. Once the input has ended (the final
 * watermark has arrived, so every window has closed) and no refit of this subtask is in progress, the next
 * completed checkpoint makes that state final, and the subtask then sends {@link Feedback#end}: sent any earlier,
 * a restore could take the state back while the end message stayed in the topic. The feedback source ends when
 * every coordinator subtask has sent one ({@link FeedbackSource}), and with it the job. Subtasks without any model
 * must say so too, which a keyed function cannot (it runs only for keys): hence an operator, which sees every
 * watermark and checkpoint.
 */
public final class CoordinatorOperator extends KeyedProcessOperator<String, Partial, RefitOutput> {
    private static final long serialVersionUID = 1L;
    private final String job;
    /** Whether the final watermark has arrived, kept in operator state: it does not come again after a restore. */
    private transient ListState<Boolean> inputEndedState;
    private transient boolean inputEnded;
    /** The first checkpoint taken with the input ended and no refit in progress. */
    private transient long finalFrom;
    private transient boolean endSent;

    public CoordinatorOperator(PassCoordinator coordinator) {
        super(coordinator);
        this.job = coordinator.job();
    }

    @Override public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        inputEndedState = context.getOperatorStateStore().getListState(
                new ListStateDescriptor<>("input-ended", Types.BOOLEAN));
        for (Boolean ended : inputEndedState.get()) {
            inputEnded |= ended;
        }
        finalFrom = Long.MAX_VALUE;
    }

    @Override public void processWatermark(Watermark mark) throws Exception {
        super.processWatermark(mark);
        if (mark.getTimestamp() == Long.MAX_VALUE) {
            inputEnded = true;
        }
    }

    @Override public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        inputEndedState.update(List.of(inputEnded));
        if (inputEnded && finalFrom == Long.MAX_VALUE && noRefitInProgress()) {
            finalFrom = context.getCheckpointId();
        }
    }

    @Override public void notifyCheckpointComplete(long checkpointId) throws Exception {
        super.notifyCheckpointComplete(checkpointId);
        if (!endSent && checkpointId >= finalFrom) {
            var task = getRuntimeContext().getTaskInfo();
            output.collect(PassCoordinator.FEEDBACK, new StreamRecord<>(Feedback.end(job,
                    task.getIndexOfThisSubtask(), task.getNumberOfParallelSubtasks()).encode()));
            endSent = true;
        }
    }

    private boolean noRefitInProgress() throws Exception {
        boolean[] busy = {false};
        getKeyedStateBackend().applyToAllKeys(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
                PassCoordinator.pendingDescriptor(), (key, state) -> busy[0] |= !state.isEmpty());
        return !busy[0];
    }
}
