package io.streamglm.connectors.record;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Decimals gives Double.parseDouble's bits, on its fast path and off it. */
class DecimalsTest {
    private static long bits(String text) {
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        return Double.doubleToRawLongBits(Decimals.parse(b, 0, b.length));
    }

    private static void same(String text) {
        assertThat(bits(text)).as(text).isEqualTo(Double.doubleToRawLongBits(Double.parseDouble(text)));
    }

    @Test
    void plainDecimalsAndTheirEdges() {
        for (String t : new String[]{"0", "-0", "+0", "-0.0", "0.1", "-0.1234", "1.", ".5", "-.5", "+1.5", "007",
                "123456789012345", "1234567890123456", "0.000000000000001", "0.0000000000000001",
                "999999999999999", "9007199254740993", "1.7976931348623157e308", "4.9e-324", "1e5", "1E-5",
                "2.2250738585072014E-308", "0.30000000000000004", "12345678901234567890"}) {
            same(t);
        }
    }

    @Test
    void randomDecimals() {
        Random random = new Random(3);
        for (int i = 0; i < 200_000; i++) {
            int digits = 1 + random.nextInt(17);
            StringBuilder sb = new StringBuilder(random.nextBoolean() ? "-" : "");
            for (int d = 0; d < digits; d++) {
                sb.append((char) ('0' + random.nextInt(10)));
            }
            sb.insert(sb.length() - random.nextInt(digits + 1), '.');
            same(sb.toString());
            same(String.format(Locale.ROOT, "%.4f", random.nextGaussian() * Math.pow(10, random.nextInt(12))));
            same(Double.toString(random.nextGaussian()));
        }
    }

    @Test
    void notNumbersAreRefused() {
        for (String t : new String[]{"", "-", "+", ".", "1.2.3", "+-1", "1e"}) {
            assertThatThrownBy(() -> bits(t)).as(t).isInstanceOf(NumberFormatException.class);
        }
    }
}
