package io.streamglm.job.cli;

import io.streamglm.job.operators.RefitFunction;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A penalized model streams in exact mode from rows on one operator; the other choices are refused, naming the option. */
class PenalizedStreamOptionsTest {
    @Test
    void exactRowRefitsOnOneOperatorAreAccepted() {
        assertThatCode(() -> StreamCommand.checkPenalized(RefitFunction.Mode.EXACT, false, "auto")).doesNotThrowAnyException();
        assertThatCode(() -> StreamCommand.checkPenalized(RefitFunction.Mode.EXACT, false, "1")).doesNotThrowAnyException();
    }

    @Test
    void onlineCellsAndShardsAreRefused() {
        assertThatThrownBy(() -> StreamCommand.checkPenalized(RefitFunction.Mode.ONLINE, false, "auto"))
                .isInstanceOf(UsageException.class).hasMessageStartingWith("--mode online");
        assertThatThrownBy(() -> StreamCommand.checkPenalized(RefitFunction.Mode.EXACT, true, "auto"))
                .isInstanceOf(UsageException.class).hasMessageStartingWith("--cells");
        assertThatThrownBy(() -> StreamCommand.checkPenalized(RefitFunction.Mode.EXACT, false, "4"))
                .isInstanceOf(UsageException.class).hasMessageStartingWith("--shards 4");
    }
}
