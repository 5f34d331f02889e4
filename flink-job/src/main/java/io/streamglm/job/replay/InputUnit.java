package io.streamglm.job.replay;

import io.streamglm.connectors.csv.CsvSplits;

import java.io.Serializable;

/**
 * One piece of a replay's input that one worker reads: a byte-range split of a CSV file ({@code split} set), or a
 * whole file read record by record ({@code split} null). Its chunks are keyed {@link #prefix()}{@code << 32 |
 * chunk}, so merged in key order the pieces give the order of the input.
 *
 * @param fileIndex the file's index among the replay's files (the "partition" of its records' order keys)
 * @param plan      the file's split plan (null for a whole file)
 */
public record InputUnit(String file, int fileIndex, CsvSplits.Plan plan, CsvSplits.Split split)
        implements Serializable {

    /** The high half of this unit's chunk keys: the split's index, or the file's. */
    public long prefix() {
        return split != null ? split.index() : fileIndex;
    }

    /** The records it holds, or -1 when not known before reading (a whole file). */
    public long records() {
        return split != null ? split.records() : -1;
    }
}
