package io.streamglm.job.replay;

import io.streamglm.connectors.csv.CsvSplits;

import io.streamglm.engine.design.FittedDesign;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One piece of a replay's input that one worker reads: a byte-range split of a CSV file (read by the fit path)
 * or of a JSON-lines file (record by record), or a whole file read record by record ({@code split} null). Its chunks are keyed {@link #prefix()}{@code << 32 |
 * chunk}, so merged in key order the pieces give the order of the input.
 *
 * @param fileIndex the file's index among the replay's files (the "partition" of its records' order keys, the
 *                  high bits of its chunks' keys)
 * @param plan      the file's split plan (null for a whole file)
 */
public record InputUnit(String file, int fileIndex, CsvSplits.Plan plan, CsvSplits.Split split)
        implements Serializable {

    /** Files a replay can read: a unit's key holds its file's index in 15 bits. */
    static final int MAX_FILES = 1 << 15;

    /** The high half of this unit's chunk keys: the file's index, then the split's (0 for a whole file). */
    public long prefix() {
        return ((long) fileIndex << 16) | (split != null ? split.index() : 0);
    }

    /**
     * The units of a replay's files, in input order: each file in byte-range splits of about {@code splitBytes}
     * (at least {@code minSplits} for a single file), CSV by {@link CsvSplits}, JSON lines by {@link JsonLines};
     * with a design of ordered target statistics (which run over a whole file) every file whole.
     *
     * @param align split cuts fall on record indexes that are multiples of this (the chunk size for a fit
     *              over all rows, whose chunks must be {@code fit}'s; 1 for windows)
     */
    static List<InputUnit> plan(List<String> files, FittedDesign design, long splitBytes, int minSplits, int align) {
        if (files.size() > MAX_FILES) {
            throw new io.streamglm.job.core.JobSetupException("--data matches " + files.size() + " files; a replay"
                    + " reads at most " + MAX_FILES + ": concatenate them or replay them in groups");
        }
        boolean targetStatistics = design.terms().stream().flatMap(t -> t.components().stream())
                .anyMatch(c -> c instanceof io.streamglm.engine.design.TargetComponent);
        List<InputUnit> units = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            String file = files.get(i);
            if (targetStatistics) {
                units.add(new InputUnit(file, i, null, null));
                continue;
            }
            long size;
            try {
                size = Files.size(Path.of(file));
            } catch (IOException e) {
                throw new UncheckedIOException(file + ": " + e.getMessage(), e);
            }
            long wanted = Math.max(files.size() == 1 ? minSplits : 1, (size + splitBytes - 1) / splitBytes);
            if (files.size() == 1) {
                wanted = (wanted + minSplits - 1) / minSplits * minSplits; // a whole number per worker
            }
            int n = (int) Math.min(1 << 16, wanted);
            CsvSplits.Plan plan = InputFiles.isJsonLines(Path.of(file)) ? JsonLines.plan(Path.of(file), n, align)
                    : CsvSplits.plan(Path.of(file), n, align);
            for (CsvSplits.Split split : plan.splits()) {
                if (split.records() > 0) {
                    units.add(new InputUnit(file, i, plan, split));
                }
            }
        }
        return units;
    }

    /** Whether it is a byte range of a CSV file, which the fit path reads. */
    public boolean csvSplit() {
        return split != null && !InputFiles.isJsonLines(Path.of(file));
    }

    /** Whether it is a byte range of a JSON-lines file. */
    boolean jsonLinesSplit() {
        return split != null && InputFiles.isJsonLines(Path.of(file));
    }

    /** The records it holds, or -1 when not known before reading (a whole file). */
    public long records() {
        return split != null ? split.records() : -1;
    }
}
