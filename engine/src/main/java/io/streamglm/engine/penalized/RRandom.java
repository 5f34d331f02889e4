package io.streamglm.engine.penalized;

/**
 * R's default random numbers (Mersenne-Twister, {@code set.seed} scrambling, {@code sample.kind = "Rejection"}), so
 * that seeded folds are the ones {@code set.seed(seed); cv.glmnet(..., nfolds = k)} draws with
 * {@code sample(rep(seq(nfolds), length = N))}.
 */
final class RRandom {
    private static final int N = 624;
    private static final int M = 397;
    private final int[] mt = new int[N];
    private int mti;

    /** {@code set.seed(seed)}: 50 rounds of scrambling, then the 625 seeds of the twister (the first is mti). */
    RRandom(int seed) {
        int s = seed;
        for (int j = 0; j < 50; j++) {
            s = 69069 * s + 1;
        }
        s = 69069 * s + 1; // dummy[0], the position, which FixupSeeds sets to 624
        for (int j = 0; j < N; j++) {
            s = 69069 * s + 1;
            mt[j] = s;
        }
        mti = N;
    }

    /** {@code unif_rand()}. */
    double unifRand() {
        if (mti >= N) {
            int kk;
            for (kk = 0; kk < N - M; kk++) {
                int y = (mt[kk] & 0x80000000) | (mt[kk + 1] & 0x7fffffff);
                mt[kk] = mt[kk + M] ^ (y >>> 1) ^ ((y & 1) != 0 ? 0x9908b0df : 0);
            }
            for (; kk < N - 1; kk++) {
                int y = (mt[kk] & 0x80000000) | (mt[kk + 1] & 0x7fffffff);
                mt[kk] = mt[kk + (M - N)] ^ (y >>> 1) ^ ((y & 1) != 0 ? 0x9908b0df : 0);
            }
            int y = (mt[N - 1] & 0x80000000) | (mt[0] & 0x7fffffff);
            mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ ((y & 1) != 0 ? 0x9908b0df : 0);
            mti = 0;
        }
        int y = mt[mti++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        double v = (y & 0xffffffffL) * 2.3283064365386963e-10;
        // fixup(): keep the value strictly inside (0, 1)
        if (v <= 0) {
            return 0.5 * 2.328306437080797e-10;
        }
        return 1 - v <= 0 ? 1 - 0.5 * 2.328306437080797e-10 : v;
    }

    /** {@code R_unif_index(dn)}: rejection sampling from the integers below the next power of two. */
    int unifIndex(int dn) {
        if (dn <= 0) {
            return 0;
        }
        int bits = (int) Math.ceil(Math.log(dn) / Math.log(2));
        // Math.log ratios can land a hair off an exact power of two
        while ((1L << bits) < dn) {
            bits++;
        }
        while (bits > 0 && (1L << (bits - 1)) >= dn) {
            bits--;
        }
        while (true) {
            long v = 0;
            for (int k = 0; k <= bits; k += 16) {
                int v1 = (int) Math.floor(unifRand() * 65536);
                v = 65536 * v + v1;
            }
            long dv = v & ((1L << bits) - 1);
            if (dv < dn) {
                return (int) dv;
            }
        }
    }

    /** {@code sample.int(n)}: a permutation of 1..n. */
    int[] permutation(int n) {
        int[] x = new int[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
        }
        int[] out = new int[n];
        int left = n;
        for (int i = 0; i < n; i++) {
            int j = unifIndex(left);
            out[i] = x[j] + 1;
            x[j] = x[--left];
        }
        return out;
    }

    /** cv.glmnet's {@code sample(rep(seq(nfolds), length = N))} after {@code set.seed(seed)}. */
    static int[] folds(int seed, int nfolds, int rows) {
        int[] perm = new RRandom(seed).permutation(rows);
        int[] fold = new int[rows];
        for (int i = 0; i < rows; i++) {
            fold[i] = (perm[i] - 1) % nfolds + 1;
        }
        return fold;
    }
}
