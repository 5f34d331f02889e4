package io.streamglm.connectors.record;

import io.streamglm.engine.design.DesignBuilder;
import io.streamglm.engine.design.FittedDesign;
import io.streamglm.engine.spec.ModelSpec;
import io.streamglm.engine.spec.SpecParser;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fast record path against the full one: every record {@link RecordReader} reads gives the bit-identical row
 * of {@link RecordParser} plus {@link RowEncoding}, and the records it leaves (null) are the ones the full path
 * must decide, whose rows and dead letters are therefore today's. Each case also says which path it takes, so a
 * fast path that gave up on everything would fail.
 */
class RecordReaderTest {
    private static final String TERMS = "\"terms\": {\"x\": {\"type\": \"linear\"}, \"g\": {\"type\": \"categorical\","
            + " \"levels\": [\"a\", \"b\", \"Zürich\", \"12\", \"true\", \"N A\", \"NA\"]}}";
    private static final String JSON_SPEC = "{\"response\": \"y\", \"family\": \"poisson\", \"exposure\": \"e\","
            + " \"weights\": \"w\", " + TERMS + "}";
    private static final String CSV_SPEC = "{\"response\": \"y\", \"family\": \"poisson\", \"exposure\": \"e\","
            + " \"weights\": \"w\", \"csv_header\": [\"ts\", \"x\", \"g\", \"y\", \"e\", \"w\", \"note\"], " + TERMS + "}";

    private static final class Paths {
        final RecordParser parser;
        final RowEncoding encoding;
        final RecordReader reader;

        Paths(String specJson, String keyField) {
            ModelSpec spec = SpecParser.parse(specJson, null);
            FittedDesign design = DesignBuilder.freeze(spec);
            parser = new RecordParser(spec, "ts", keyField);
            encoding = new RowEncoding(spec, "m", design);
            reader = new RecordReader(spec, "ts", keyField, design, encoding);
        }

        /** Reads with both paths, checks they agree, and says whether the fast one read it. */
        boolean fast(String text) {
            return fast(text.getBytes(StandardCharsets.UTF_8));
        }

        boolean fast(byte[] bytes) {
            EncodedRow quick = reader.read(bytes, 42);
            RecordParser.Result parsed = parser.parse(bytes, 42);
            EncodedRow full = parsed.record() == null ? null : encoding.encode(parsed.record()).row();
            if (quick != null) {
                assertThat(full).as("full path's row of %s", new String(bytes, StandardCharsets.UTF_8)).isNotNull();
                assertThat(same(quick, full)).as("same row for %s", new String(bytes, StandardCharsets.UTF_8))
                        .isTrue();
            }
            return quick != null;
        }

        /** The full path's dead-letter reason (null for a row). */
        String reason(String text) {
            RecordParser.Result parsed = parser.parse(text.getBytes(StandardCharsets.UTF_8), 42);
            return parsed.bad() != null ? parsed.bad().reason() : encodingReason(parsed.record());
        }

        private String encodingReason(ParsedRecord r) {
            BadRecord bad = encoding.encode(r).bad();
            return bad == null ? null : bad.reason();
        }
    }

    private static boolean same(EncodedRow a, EncodedRow b) {
        return a.model().equals(b.model()) && a.eventTime() == b.eventTime()
                && Double.doubleToRawLongBits(a.y()) == Double.doubleToRawLongBits(b.y())
                && Double.doubleToRawLongBits(a.weight()) == Double.doubleToRawLongBits(b.weight())
                && Double.doubleToRawLongBits(a.offset()) == Double.doubleToRawLongBits(b.offset())
                && Arrays.equals(a.idx(), b.idx()) && Arrays.equals(a.val(), b.val());
    }

    private static String json(String x, String g) {
        return "{\"ts\": 1700000000000, \"x\": " + x + ", \"g\": " + g + ", \"y\": 2, \"e\": 0.5, \"w\": 1}";
    }

    @Test
    void everyFieldTypeIsReadInPlace() {
        Paths p = new Paths(JSON_SPEC, null);
        assertThat(p.fast(json("1.5", "\"a\""))).isTrue();
        assertThat(p.fast(json("-0.25e-3", "\"b\""))).isTrue();
        assertThat(p.fast(json("1E+2", "\"b\""))).isTrue();
        assertThat(p.fast(json("12345678901234567890123", "\"b\""))).isTrue(); // BigInteger in Jackson
        assertThat(p.fast(json("1.7976931348623157e308", "\"b\""))).isTrue();
        assertThat(p.fast(json("4.9e-324", "\"b\""))).isTrue();
        assertThat(p.fast(json("0.1000000000000000055511151231257827", "\"b\""))).isTrue();
        assertThat(p.fast(" {\n\t\"ts\" : 1 ,\"y\":0,\"e\":1e-3, \"w\" : 0 , \"x\" : 7 , \"g\" : \"a\" } \r\n"))
                .isTrue();
        // Levels from numbers and booleans (their text, as Jackson's getText), and non-ASCII levels from their bytes.
        assertThat(p.fast(json("1", "12"))).isTrue();
        assertThat(p.fast(json("1", "true"))).isTrue();
        assertThat(p.fast(json("1", "\"Zürich\""))).isTrue();
        assertThat(p.fast(json("1", "\"N A\""))).isTrue();
        // The time as an ISO-8601 instant, and no time field at all (the transport's timestamp).
        assertThat(p.fast("{\"ts\": \"2023-11-14T22:13:20Z\", \"x\": 1, \"g\": \"a\", \"y\": 2, \"e\": 1, \"w\": 1}"))
                .isTrue();
    }

    @Test
    void minusZeroIsReadAsJacksonReadsIt() {
        Paths p = new Paths(JSON_SPEC, null);
        // Jackson reads the integer -0 as the int 0 (+0.0) and -0.0 as -0.0: the rows differ in the sign bit.
        assertThat(p.fast(json("-0", "\"b\""))).isTrue();
        assertThat(p.fast(json("-0.0", "\"b\""))).isTrue();
        EncodedRow intZero = p.reader.read(json("-0", "\"b\"").getBytes(StandardCharsets.UTF_8), 0);
        EncodedRow fpZero = p.reader.read(json("-0.0", "\"b\"").getBytes(StandardCharsets.UTF_8), 0);
        assertThat(same(intZero, fpZero)).isFalse();
    }

    @Test
    void fieldsTheSpecDoesNotReadAreSkippedAsJsonIs() {
        Paths p = new Paths(JSON_SPEC, null);
        String extra = ", \"note\": \"say \\\"hi\\\" \\u00e9\\n\", \"nested\": {\"a\": [1, -2.5e3, {\"b\": null}],"
                + " \"c\": true, \"d\": false}, \"arr\": [], \"o\": {}, \"n\": null}";
        assertThat(p.fast(json("1", "\"a\"").replace("}", extra))).isTrue();
        // Non-ASCII in an ignored field: Jackson checks its UTF-8, so the full path reads it (still a row).
        assertThat(p.fast(json("1", "\"a\"").replace("}", ", \"note\": \"é\"}"))).isFalse();
        assertThat(p.reason(json("1", "\"a\"").replace("}", ", \"note\": \"é\"}"))).isNull();
        // Malformed JSON in an ignored field is still malformed.
        for (String bad : new String[]{", \"o\": {\"a\" 1}}", ", \"o\": [1 2]}", ", \"o\": tru}", ", \"o\": \"\\x\"}",
                ", \"o\": 01}", ", \"o\": 1.}", ", \"o\": -}", ", \"o\": NaN}", ", \"o\": [1,]}"}) {
            String record = json("1", "\"a\"").replace("}", bad);
            assertThat(p.fast(record)).as(record).isFalse();
            assertThat(p.reason(record)).as(record).isEqualTo(BadRecord.MALFORMED);
        }
    }

    @Test
    void escapesDuplicatesAndOtherRareFormsTakeTheFullPath() {
        Paths p = new Paths(JSON_SPEC, null);
        // Each gives a row, by the full path's rules.
        for (String record : new String[]{
                json("1", "\"\\u0061\""),                                     // an escaped level
                json("1", "\"a\"").replace("\"x\"", "\"\\u0078\""),           // an escaped name
                json("1", "\"a\"").replace("}", ", \"x\": 3}"),               // a duplicate: the last wins
                json("1", "\"a\"").replace("1700000000000", "1.7e12"),        // a time with an exponent
        }) {
            assertThat(p.fast(record)).as(record).isFalse();
            assertThat(p.reason(record)).as(record).isNull();
        }
    }

    @Test
    void badRecordsAreLeftToTheFullPathWithTheirReasons() {
        Paths p = new Paths(JSON_SPEC, null);
        String[][] cases = {
                {json("null", "\"a\""), BadRecord.MISSING_FIELD},
                {json("\"1.5\"", "\"a\""), BadRecord.WRONG_TYPE},
                {json("1e999", "\"a\""), BadRecord.WRONG_TYPE},
                {json("[1]", "\"a\""), BadRecord.WRONG_TYPE},
                {json("1", "null"), BadRecord.MISSING_FIELD},
                {json("1", "{}"), BadRecord.WRONG_TYPE},
                {json("1", "\"zz\""), BadRecord.UNSEEN_LEVEL},
                {json("1", "\"A\""), BadRecord.UNSEEN_LEVEL},
                {json("1", "\"a\"").replace("\"y\": 2", "\"y\": -1"), BadRecord.OUT_OF_DOMAIN},
                {json("1", "\"a\"").replace("\"e\": 0.5", "\"e\": 0"), BadRecord.OUT_OF_DOMAIN},
                {json("1", "\"a\"").replace("\"w\": 1", "\"w\": -1"), BadRecord.OUT_OF_DOMAIN},
                {json("1", "\"a\"").replace(", \"y\": 2", ""), BadRecord.MISSING_FIELD},
                {json("1", "\"a\"").replace("\"ts\": 1700000000000, ", ""), BadRecord.MISSING_FIELD},
                {json("1", "\"a\"").replace("1700000000000", "\"yesterday\""), BadRecord.WRONG_TYPE},
                {json("01", "\"a\""), BadRecord.MALFORMED},
                {json("1", "\"a\"") + " {}", BadRecord.MALFORMED},
                {json("1", "\"a\"").replace("}", ",}"), BadRecord.MALFORMED},
                {json("1", "\"a\"").substring(1), BadRecord.MALFORMED},
                {"\uFEFF" + json("1", "\"a\""), null},
                {"[1]", BadRecord.MALFORMED},
        };
        for (String[] c : cases) {
            assertThat(p.fast(c[0])).as(c[0]).isFalse();
            assertThat(p.reason(c[0])).as(c[0]).isEqualTo(c[1]);
        }
        assertThat(p.fast(new byte[0])).isFalse();
        assertThat(p.reader.read(null, 0)).isNull();
    }

    @Test
    void theKeyFieldNamesTheModel() {
        Paths p = new Paths(JSON_SPEC, "k");
        String east = json("1", "\"a\"").replace("}", ", \"k\": \"east\"}");
        assertThat(p.fast(east)).isTrue();
        assertThat(p.reader.read(east.getBytes(StandardCharsets.UTF_8), 0).model()).isEqualTo("m/east");
        assertThat(p.fast(json("1", "\"a\"").replace("}", ", \"k\": 5}"))).isTrue();
        assertThat(p.fast(json("1", "\"a\"").replace("}", ", \"k\": true}"))).isFalse();
        assertThat(p.fast(json("1", "\"a\""))).isFalse();
        assertThat(p.reason(json("1", "\"a\""))).isEqualTo(BadRecord.MISSING_FIELD);
    }

    @Test
    void aCsvKeyFieldNamesTheModelToo() {
        String spec = CSV_SPEC.replace("\"note\"]", "\"k\"]");
        Paths p = new Paths(spec, "k");
        assertThat(p.fast("1,1.5,a,2,1,1,east")).isTrue();
        assertThat(p.reader.read("1,1.5,a,2,1,1,east".getBytes(StandardCharsets.UTF_8), 0).model()).isEqualTo("m/east");
        for (String line : new String[]{"1,1.5,a,2,1,1,", "1,1.5,a,2,1,1,NA", "1,1.5,a,2,1,1, east", "1,1.5,a,2,1,1,São"}) {
            assertThat(p.fast(line)).as(line).isFalse();
        }
        assertThat(p.reason("1,1.5,a,2,1,1,")).isEqualTo(BadRecord.MISSING_FIELD);
        assertThat(p.reason("1,1.5,a,2,1,1,São")).isNull();
    }

    @Test
    void csvLinesAreReadInPlace() {
        Paths p = new Paths(CSV_SPEC, null);
        assertThat(p.fast("1700000000000,1.5,a,2,0.5,1,hello")).isTrue();
        assertThat(p.fast("1700000000000,\"1.5\",\"Zürich\",2,0.5,1,\"x,y\"\r\n")).isTrue();
        assertThat(p.fast("1,-0,12,2,1,1,")).isTrue(); // Double.parseDouble: -0.0
        for (String x : new String[]{"+1.5e2", ".5", "1.", "-.5e-2", "1E5", "007", "1e+5"}) {
            assertThat(p.fast("1," + x + ",b,3,1,1,")).as(x).isTrue();
        }
        assertThat(p.fast("1,2,N A,3,1,1,é")).isTrue();
        // A JSON object is still read as JSON.
        assertThat(p.fast(" " + json("1", "\"a\""))).isTrue();
    }

    @Test
    void rareAndBadCsvLinesTakeTheFullPath() {
        Paths p = new Paths(CSV_SPEC, null);
        String[][] cases = {
                {"1, 1.5 ,a,2,1,1,", null},                 // spaces around a number: trimmed
                {"1,1.5,a,2,1,1,\"say \"\"hi\"\"\"", null},    // a doubled quote
                {"2023-11-14T22:13:20Z,1.5,a,2,1,1,", null},  // an ISO-8601 time
                {"1,1.5,NA,2,1,1,", BadRecord.MISSING_FIELD}, // the level "NA" is a missing value in CSV
                {"1,NA,a,2,1,1,", BadRecord.MISSING_FIELD},
                {"1,,a,2,1,1,", BadRecord.MISSING_FIELD},
                {",1,a,2,1,1,", BadRecord.MISSING_FIELD},
                {"1,0x10,a,2,1,1,", BadRecord.WRONG_TYPE},
                {"1,1d,a,2,1,1,", BadRecord.WRONG_TYPE},
                {"1,1e999,a,2,1,1,", BadRecord.WRONG_TYPE},
                {"1,1.2.3,a,2,1,1,", BadRecord.WRONG_TYPE},
                {"1,.,a,2,1,1,", BadRecord.WRONG_TYPE},
                {"1,1,zz,2,1,1,", BadRecord.UNSEEN_LEVEL},
                {"1,1, a,2,1,1,", BadRecord.UNSEEN_LEVEL},
                {"1,1,a,-2,1,1,", BadRecord.OUT_OF_DOMAIN},
                {"1,1,a,2,1,1", BadRecord.MALFORMED},
                {"1,1,a,2,1,1,,", BadRecord.MALFORMED},
                {"1,1,\"a,2,1,1,", BadRecord.MALFORMED},
                {"1,1,\"a\"b,2,1,1,", BadRecord.MALFORMED},
                {"yesterday,1,a,2,1,1,", BadRecord.WRONG_TYPE},
        };
        for (String[] c : cases) {
            assertThat(p.fast(c[0])).as(c[0]).isFalse();
            assertThat(p.reason(c[0])).as(c[0]).isEqualTo(c[1]);
        }
    }

    @Test
    void randomRecordsGiveTheFullPathsRows() {
        Paths json = new Paths(JSON_SPEC, null);
        Paths csv = new Paths(CSV_SPEC, null);
        String[] levels = {"a", "b", "Zürich", "12", "zz", "N A"};
        String[] spaces = {"", " ", "\n", "\t "};
        Random random = new Random(7);
        int fastJson = 0;
        int fastCsv = 0;
        int n = 5000;
        for (int i = 0; i < n; i++) {
            String x = number(random);
            String level = levels[random.nextInt(levels.length)];
            String y = Integer.toString(random.nextInt(5) - 1);
            String e = random.nextInt(20) == 0 ? "0" : Double.toString(random.nextDouble());
            String s = spaces[random.nextInt(spaces.length)];
            String[] fields = {"\"ts\":" + s + (1_700_000_000_000L + i), "\"x\":" + s + x,
                    "\"g\":" + s + "\"" + level + "\"", "\"y\":" + y, "\"e\":" + e, "\"w\":" + s + "1",
                    "\"note\":" + s + "{\"a\": [1, \"b\"]}"};
            java.util.Collections.shuffle(Arrays.asList(fields), random);
            if (json.fast(s + "{" + String.join("," + s, fields) + s + "}")) {
                fastJson++;
            }
            if (csv.fast((1_700_000_000_000L + i) + "," + x + "," + level + "," + y + "," + e + ",1,note")) {
                fastCsv++;
            }
        }
        assertThat(fastJson).isGreaterThan(n / 2);
        assertThat(fastCsv).isGreaterThan(n / 2);
    }

    private static String number(Random random) {
        return switch (random.nextInt(6)) {
            case 0 -> Integer.toString(random.nextInt(2001) - 1000);
            case 1 -> Double.toString(random.nextGaussian());
            case 2 -> String.format(java.util.Locale.ROOT, "%.4f", random.nextGaussian());
            case 3 -> String.format(java.util.Locale.ROOT, "%.17e", random.nextGaussian() * 1e10);
            case 4 -> Double.toString(Double.longBitsToDouble(random.nextLong() & 0x7fefffffffffffffL));
            default -> "-0";
        };
    }
}
