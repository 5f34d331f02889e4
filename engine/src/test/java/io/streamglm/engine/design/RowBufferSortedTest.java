package io.streamglm.engine.design;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RowBuffer.sorted: the rows in (time, sequence) order, ties in append order, the same matrix as a stable sort of
 * the rows; rows already in order are the buffer itself.
 */
class RowBufferSortedTest {
    @Test
    void equalsAStableSortByTimeThenSequence() {
        SplittableRandom r = new SplittableRandom(5);
        for (int trial = 0; trial < 100; trial++) {
            int n = r.nextInt(0, 400);
            RowBuffer rows = new RowBuffer(4, new int[]{0, 1}, true, 2, true, true);
            long[] time = new long[n];
            long[] seq = new long[n];
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                // interleaved partitions: each ascending, the two mixed; some equal (time, sequence) pairs
                int partition = r.nextInt(2);
                time[i] = trial % 3 == 0 ? i / 3 : r.nextInt(20);
                seq[i] = ((long) partition << 40) | r.nextInt(30);
                y[i] = i;
                rows.append(time[i], seq[i], y[i], 1 + i % 3, 0.1 * i, new int[]{0, 1, 2 + i % 2},
                        new double[]{1, 0.5 * i, 1}, 3);
            }
            Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
            Arrays.sort(order, Comparator.comparingLong((Integer i) -> time[i]).thenComparingLong(i -> seq[i]));
            RowBuffer sorted = rows.sorted();
            assertThat(sorted.size()).isEqualTo(n);
            DesignMatrix m = sorted.toMatrix(List.of("Intercept", "x", "a", "b"));
            for (int k = 0; k < n; k++) {
                int i = order[k];
                assertThat(sorted.time(k)).isEqualTo(time[i]);
                assertThat(sorted.sequence(k)).isEqualTo(seq[i]);
                assertThat(m.y(k)).as("trial %d row %d", trial, k).isEqualTo(y[i]); // ties in append order
                assertThat(m.weight(k)).isEqualTo(1 + i % 3);
                assertThat(m.offset(k)).isEqualTo(0.1 * i);
            }
            assertSameMatrix(rows.toSortedMatrix(List.of("Intercept", "x", "a", "b")), m);
        }
    }

    /** toSortedMatrix is sorted().toMatrix(), array for array. */
    private static void assertSameMatrix(DesignMatrix a, DesignMatrix b) {
        assertThat(a.rows()).isEqualTo(b.rows());
        assertThat(a.denseValues()).containsExactly(b.denseValues());
        assertThat(a.indices()).containsExactly(b.indices());
        assertThat(a.values()).containsExactly(b.values());
        assertThat(a.nonZeros()).containsExactly(b.nonZeros());
        for (int k = 0; k < a.rows(); k++) {
            assertThat(a.y(k)).isEqualTo(b.y(k));
            assertThat(a.weight(k)).isEqualTo(b.weight(k));
            assertThat(a.offset(k)).isEqualTo(b.offset(k));
        }
    }

    @Test
    void rowsAlreadyInOrderAreTheBufferItself() {
        RowBuffer rows = new RowBuffer(2, new int[]{0, 1}, true, 1, false, false);
        for (int i = 0; i < 10; i++) {
            rows.append(i / 2, i, i, 1, 0, new int[]{0, 1}, new double[]{1, i}, 2);
        }
        assertThat(rows.sorted()).isSameAs(rows);
    }
}
