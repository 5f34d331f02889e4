package io.streamglm.engine.penalized;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Values printed by R 4.x with its default RNG kinds. */
class RRandomTest {
    @Test
    void runifAfterSetSeed() {
        RRandom r = new RRandom(1); // set.seed(1); runif(3)
        assertThat(r.unifRand()).isCloseTo(0.2655087, within(5e-8));
        assertThat(r.unifRand()).isCloseTo(0.3721239, within(5e-8));
        assertThat(r.unifRand()).isCloseTo(0.5728534, within(5e-8));
    }

    @Test
    void sampleAfterSetSeed() {
        // set.seed(1); sample(10) under sample.kind = "Rejection" (R >= 3.6)
        assertThat(new RRandom(1).permutation(10)).containsExactly(9, 4, 7, 1, 2, 5, 3, 10, 6, 8);
    }
}
