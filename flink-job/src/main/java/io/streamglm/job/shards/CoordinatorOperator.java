package io.streamglm.job.shards;

import io.streamglm.job.operators.RefitOutput;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Runs the {@link PassCoordinator} and ends the feedback loop of a bounded run: once the input has ended (the
 * final watermark has arrived, so every window has closed) and no refit of this subtask is in progress, it sends
 * {@link Feedback#end} once. The feedback source ends when every coordinator subtask has (see
 * {@link FeedbackSource}), and with it the job. Subtasks without any model must say so too, which a keyed function
 * cannot (it only runs for keys): hence an operator, which sees every watermark.
 */
public final class CoordinatorOperator extends KeyedProcessOperator<String, Partial, RefitOutput> {
    private static final long serialVersionUID = 1L;
    private final String job;
    private transient boolean inputEnded;
    private transient boolean endSent;

    public CoordinatorOperator(PassCoordinator coordinator) {
        super(coordinator);
        this.job = coordinator.job();
    }

    @Override public void processWatermark(Watermark mark) throws Exception {
        super.processWatermark(mark);
        if (mark.getTimestamp() == Long.MAX_VALUE) {
            inputEnded = true;
            endIfIdle();
        }
    }

    @Override public void processElement(StreamRecord<Partial> element) throws Exception {
        super.processElement(element);
        if (inputEnded) {
            endIfIdle();
        }
    }

    private void endIfIdle() throws Exception {
        if (endSent) {
            return;
        }
        boolean[] busy = {false};
        getKeyedStateBackend().applyToAllKeys(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
                PassCoordinator.pendingDescriptor(), (key, state) -> busy[0] |= !state.isEmpty());
        if (!busy[0]) {
            var task = getRuntimeContext().getTaskInfo();
            output.collect(PassCoordinator.FEEDBACK, new StreamRecord<>(Feedback.end(job,
                    task.getIndexOfThisSubtask(), task.getNumberOfParallelSubtasks()).encode()));
            endSent = true;
        }
    }
}
