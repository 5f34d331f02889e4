package io.streamglm.job.core;

import java.time.Duration;
import java.util.Locale;

/**
 * When a model is refitted: {@code tumbling:1h}, {@code sliding:24h/1h}, {@code count:100000} (every N records of
 * a model, in the order they are read) or {@code global} (one growing model, refitted every
 * {@code --refit-every} records).
 */
public record WindowSpec(Kind kind, long sizeMillis, long slideMillis, long count) implements java.io.Serializable {

    public enum Kind { TUMBLING, SLIDING, COUNT, GLOBAL }

    public static WindowSpec parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("tumbling:")) {
                long size = duration(t.substring(9));
                return new WindowSpec(Kind.TUMBLING, size, size, 0);
            }
            if (t.startsWith("sliding:")) {
                String[] parts = t.substring(8).split("/");
                if (parts.length != 2) {
                    throw new JobSetupException("--window " + text + ": sliding needs size/slide, e.g. sliding:24h/1h");
                }
                long size = duration(parts[0]);
                long slide = duration(parts[1]);
                if (slide > size || size % slide != 0) {
                    throw new JobSetupException("--window " + text + ": the slide must divide the size, e.g. sliding:24h/1h");
                }
                return new WindowSpec(Kind.SLIDING, size, slide, 0);
            }
            if (t.startsWith("count:")) {
                long n = Long.parseLong(t.substring(6).replace("_", ""));
                if (n < 1) {
                    throw new JobSetupException("--window " + text + ": count must be >= 1");
                }
                return new WindowSpec(Kind.COUNT, 0, 0, n);
            }
            if (t.equals("global")) {
                return new WindowSpec(Kind.GLOBAL, 0, 0, 0);
            }
        } catch (NumberFormatException e) {
            throw new JobSetupException("--window " + text + ": " + e.getMessage());
        }
        throw new JobSetupException("--window " + text + ": use tumbling:1h, sliding:24h/1h, count:100000 or global");
    }

    /** {@code 500ms}, {@code 30s}, {@code 15m}, {@code 1h}, {@code 7d}. */
    public static long duration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        long unit;
        String number;
        if (t.endsWith("ms")) {
            unit = 1;
            number = t.substring(0, t.length() - 2);
        } else if (t.endsWith("s")) {
            unit = 1000;
            number = t.substring(0, t.length() - 1);
        } else if (t.endsWith("m")) {
            unit = 60_000;
            number = t.substring(0, t.length() - 1);
        } else if (t.endsWith("h")) {
            unit = 3_600_000;
            number = t.substring(0, t.length() - 1);
        } else if (t.endsWith("d")) {
            unit = 86_400_000;
            number = t.substring(0, t.length() - 1);
        } else {
            throw new JobSetupException("duration '" + text + "' needs a unit: ms, s, m, h or d (e.g. 1h)");
        }
        long n = Long.parseLong(number.trim());
        if (n <= 0) {
            throw new JobSetupException("duration '" + text + "' must be positive");
        }
        return Math.multiplyExact(n, unit);
    }

    /** Like {@link #duration} but also accepts 0 (e.g. {@code 0s}). */
    public static long durationOrZero(String text) {
        String t = text.trim();
        if (t.matches("0+(ms|s|m|h|d)?")) {
            return 0;
        }
        return duration(t);
    }

    public boolean timeBased() {
        return kind == Kind.TUMBLING || kind == Kind.SLIDING;
    }

    public String text() {
        return switch (kind) {
            case TUMBLING -> "tumbling:" + Duration.ofMillis(sizeMillis);
            case SLIDING -> "sliding:" + Duration.ofMillis(sizeMillis) + "/" + Duration.ofMillis(slideMillis);
            case COUNT -> "count:" + count;
            case GLOBAL -> "global";
        };
    }
}
