package io.streamglm.connectors.record;

import ch.randelshofer.fastdoubleparser.JavaDoubleParser;

/**
 * Decimal numbers parsed from bytes to the double {@link Double#parseDouble} gives, bit for bit. Short plain
 * decimals (an optional sign, at most 15 digits, a point anywhere, no exponent: what records mostly hold) take
 * Clinger's fast path: the digits as a long m < 2^53 and 10^k with k <= 22 are both exact doubles, so the one
 * IEEE division m / 10^k is the correctly rounded value of the decimal. Everything else goes to FastDoubleParser,
 * also correctly rounded.
 */
final class Decimals {
    private static final double[] POWERS = new double[23];

    static {
        double p = 1;
        for (int k = 0; k < POWERS.length; k++) {
            POWERS[k] = p; // 10^k, exact up to 10^22
            p *= 10;
        }
    }

    /** Plain decimals of up to this many digits are exact as long / 10^k. */
    static final int EXACT_DIGITS = 15;

    private Decimals() {
    }

    /** The decimal with digits {@code m} (at most {@link #EXACT_DIGITS}) and {@code fraction} of them after the point. */
    static double exact(long m, int fraction, boolean negative) {
        double v = fraction == 0 ? m : m / POWERS[fraction];
        return negative ? -v : v;
    }

    /** @throws NumberFormatException for text Double.parseDouble would refuse */
    static double parse(byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        boolean negative = false;
        if (i < end && (b[i] == '-' || b[i] == '+')) {
            negative = b[i] == '-';
            i++;
        }
        long m = 0;
        int digits = 0;
        int point = -1;
        for (; i < end; i++) {
            byte c = b[i];
            if (c >= '0' && c <= '9') {
                m = m * 10 + (c - '0');
                digits++;
            } else if (c == '.' && point < 0) {
                point = digits;
            } else {
                break;
            }
        }
        if (i == end && digits > 0 && digits <= EXACT_DIGITS) {
            return exact(m, point < 0 ? 0 : digits - point, negative);
        }
        return JavaDoubleParser.parseDouble(b, off, len);
    }
}
