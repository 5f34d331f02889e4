package io.streamglm.job.replay;

import io.streamglm.connectors.csv.CsvSplits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * JSON lines in byte-range splits: every split plan, read split by split, gives the records and indexes of the
 * whole file, which are BufferedReader.readLine's non-blank lines (LF, CR and CRLF endings, blank lines, lines of
 * spaces, text that is not ASCII), and cuts fall on records whose indexes are multiples of the alignment.
 */
class JsonLinesTest {
    @TempDir
    Path tmp;

    @Test
    void splitsReadTheWholeFilesRecordsWithItsIndexes() throws Exception {
        SplittableRandom random = new SplittableRandom(3);
        String[] ends = {"\n", "\r\n", "\r"};
        for (int trial = 0; trial < 30; trial++) {
            StringBuilder text = new StringBuilder();
            int lines = 1 + random.nextInt(200);
            for (int i = 0; i < lines; i++) {
                switch (random.nextInt(8)) {
                    case 0 -> text.append("");
                    case 1 -> text.append("  \t ");
                    case 2 -> text.append("{\"region\": \"Zürich\", \"y\": ").append(i).append('}');
                    case 3 -> text.append("\u3000"); // blank for String.isBlank, not ASCII
                    default -> text.append("{\"x\": ").append(random.nextDouble()).append(", \"y\": ").append(i)
                            .append('}');
                }
                if (i < lines - 1 || random.nextBoolean()) {
                    text.append(ends[random.nextInt(ends.length)]);
                }
            }
            Path file = tmp.resolve("t" + trial + ".jsonl");
            Files.writeString(file, text, StandardCharsets.UTF_8);
            List<String> want = new ArrayList<>();
            try (BufferedReader in = new BufferedReader(new StringReader(text.toString()))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (!line.isBlank()) {
                        want.add(line);
                    }
                }
            }
            List<String> whole = read(file, 0, Files.size(file), 0);
            assertThat(whole).as("trial %d", trial).isEqualTo(indexed(want, 0));
            for (int n : new int[]{1, 2, 3, 7}) {
                for (int align : new int[]{1, 4}) {
                    CsvSplits.Plan plan = JsonLines.plan(file, n, align);
                    assertThat(plan.records()).isEqualTo(want.size());
                    assertThat(plan.splits()).hasSize(n);
                    List<String> got = new ArrayList<>();
                    long next = 0;
                    long from = 0;
                    for (CsvSplits.Split s : plan.splits()) {
                        assertThat(s.from()).isEqualTo(from);
                        assertThat(s.firstRecord()).isEqualTo(next);
                        if (s.records() > 0) {
                            assertThat(s.firstRecord() % align).isZero();
                        }
                        List<String> part = read(file, s.from(), s.to(), s.firstRecord());
                        assertThat(part).hasSize((int) s.records());
                        got.addAll(part);
                        next += s.records();
                        from = s.to();
                    }
                    assertThat(from).isEqualTo(Files.size(file));
                    assertThat(got).as("trial %d, %d splits, align %d", trial, n, align).isEqualTo(whole);
                }
            }
        }
    }

    private static List<String> read(Path file, long from, long to, long first) {
        List<String> out = new ArrayList<>();
        JsonLines.forEach(file, from, to, first, (buf, off, len, index, position) ->
                out.add(index + ":" + new String(buf, off, len, StandardCharsets.UTF_8)));
        return out;
    }

    private static List<String> indexed(List<String> lines, long first) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            out.add((first + i) + ":" + lines.get(i));
        }
        return out;
    }
}
