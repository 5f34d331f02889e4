package io.streamglm.engine.solve;

import io.streamglm.engine.accumulate.PackedUpper;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class CholeskySolverTest {

    /** X'X and X'y of a random dense X (n x p), with column {@code copy} optionally a combination of others. */
    private static double[][] normalEquations(int n, int p, long seed, int aliasedColumn) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] x = new double[n][p];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < p; j++) {
                x[i][j] = j == 0 ? 1 : r.nextGaussian() * (j * 10);
            }
            if (aliasedColumn >= 0) {
                x[i][aliasedColumn] = 2 * x[i][1] - 0.5 * x[i][2];
            }
            y[i] = 1 + x[i][1] * 0.5 + r.nextGaussian();
        }
        double[] xtx = new double[PackedUpper.size(p)];
        double[] xty = new double[p];
        int[] base = PackedUpper.rowBases(p);
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < p; a++) {
                for (int b = a; b < p; b++) {
                    xtx[base[a] + b] += x[i][a] * x[i][b];
                }
                xty[a] += x[i][a] * y[i];
            }
        }
        return new double[][]{xtx, xty};
    }

    @Test
    void solvesAFullRankSystemAndInvertsIt() {
        int p = 5;
        double[][] ne = normalEquations(200, p, 1, -1);
        Solution s = CholeskySolver.solve(ne[0], ne[1], p, 1e-7);
        assertThat(s.rank()).isEqualTo(p);
        double[] full = PackedUpper.toFull(ne[0], p);
        double[] beta = s.beta();
        for (int i = 0; i < p; i++) {
            double lhs = 0;
            for (int j = 0; j < p; j++) {
                lhs += full[i * p + j] * beta[j];
            }
            assertThat(lhs).isCloseTo(ne[1][i], within(1e-9 * Math.abs(ne[1][i]) + 1e-9));
        }
        double[] inv = s.unscaledCovariance();
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < p; j++) {
                double e = 0;
                for (int k = 0; k < p; k++) {
                    e += full[i * p + k] * inv[k * p + j];
                }
                assertThat(e).as("(A A^-1)[%d][%d]", i, j).isCloseTo(i == j ? 1 : 0, within(1e-9));
            }
        }
    }

    @Test
    void flagsALinearCombinationAsAliasedAsR() {
        int p = 5;
        double[][] ne = normalEquations(200, p, 2, 3);
        Solution s = CholeskySolver.solve(ne[0], ne[1], p, 1e-7);
        assertThat(s.rank()).isEqualTo(4);
        assertThat(s.aliased()).containsExactly(false, false, false, true, false);
        assertThat(s.beta()[3]).isZero();
        double[] cov = s.unscaledCovariance();
        for (int j = 0; j < p; j++) {
            assertThat(cov[3 * p + j]).isZero();
        }
    }

    @Test
    void anAllZeroColumnIsAliased() {
        int p = 3;
        double[] xtx = new double[PackedUpper.size(p)];
        int[] base = PackedUpper.rowBases(p);
        xtx[base[0]] = 4;
        xtx[base[0] + 2] = 1;
        xtx[base[2] + 2] = 3;
        Solution s = CholeskySolver.solve(xtx, new double[]{1, 0, 2}, p, 1e-7);
        assertThat(s.aliased()).containsExactly(false, true, false);
        assertThat(s.rank()).isEqualTo(2);
    }
}
