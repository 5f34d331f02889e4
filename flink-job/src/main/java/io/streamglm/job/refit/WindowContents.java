package io.streamglm.job.refit;

import io.streamglm.engine.accumulate.CellTable;
import io.streamglm.engine.design.RowBuffer;

/** What a refit fits: a window's rows, or its cells. */
public sealed interface WindowContents permits WindowContents.Rows, WindowContents.Cells {

    /** The rows the window holds. */
    long rows();

    record Rows(RowBuffer buffer) implements WindowContents {
        @Override public long rows() {
            return buffer.size();
        }
    }

    record Cells(CellTable table) implements WindowContents {
        @Override public long rows() {
            return table.rows();
        }
    }
}
