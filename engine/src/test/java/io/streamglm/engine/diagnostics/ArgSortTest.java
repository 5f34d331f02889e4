package io.streamglm.engine.diagnostics;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ArgSort against Java's stable sort of boxed indices by Double.compare: random keys with ties and NaN, sorted and
 * reversed runs, signed zeros, infinities, subnormals and NaNs of other bit patterns.
 */
class ArgSortTest {
    private static final double[] SPECIAL = {0.0, -0.0, Double.NaN, Double.longBitsToDouble(0x7ff0000000000001L),
            Double.longBitsToDouble(0xfff8000000000000L), Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
            Double.MIN_VALUE, -Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, 1.0, -1.0, 1e-300, -3e200};

    @Test
    void equalsAStableSortOfTheIndices() {
        SplittableRandom r = new SplittableRandom(11);
        for (int trial = 0; trial < 200; trial++) {
            int n = trial == 199 ? 200_000 : r.nextInt(0, 300);
            double[] key = new double[n];
            int kind = trial % 5;
            for (int i = 0; i < n; i++) {
                key[i] = switch (kind) {
                    case 0 -> r.nextInt(5); // many ties
                    case 1 -> i / 7 + (r.nextInt(10) == 0 ? Double.NaN : 0); // in order, with NaN
                    case 2 -> -i; // reversed
                    case 3 -> SPECIAL[r.nextInt(SPECIAL.length)] * (r.nextBoolean() ? 1 : r.nextDouble());
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
