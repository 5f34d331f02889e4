package io.streamglm.engine.diagnostics;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** ArgSort against Java's stable sort of boxed indices: random keys with ties and NaN, sorted and reversed runs. */
class ArgSortTest {
    @Test
    void equalsAStableSortOfTheIndices() {
        SplittableRandom r = new SplittableRandom(11);
        for (int trial = 0; trial < 200; trial++) {
            int n = r.nextInt(0, 300);
            double[] key = new double[n];
            int kind = trial % 4;
            for (int i = 0; i < n; i++) {
                key[i] = switch (kind) {
                    case 0 -> r.nextInt(5); // many ties
                    case 1 -> i / 7 + (r.nextInt(10) == 0 ? Double.NaN : 0); // in order, with NaN
                    case 2 -> -i; // reversed
                    default -> r.nextDouble();
                };
            }
            Integer[] boxed = IntStream.range(0, n).boxed().toArray(Integer[]::new);
            Arrays.sort(boxed, Comparator.comparing((Integer i) -> key[i], Double::compare));
            assertThat(ArgSort.ascending(key)).as("trial %d", trial)
                    .containsExactly(Arrays.stream(boxed).mapToInt(Integer::intValue).toArray());
        }
    }
}
