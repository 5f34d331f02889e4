package io.streamglm.connectors.record;

import io.streamglm.engine.spec.ModelSpec;
import io.streamglm.engine.spec.SpecParser;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Stream records as JSON objects and as CSV lines of the spec's csv_header: the same fields, the same reasons. */
class RecordParserTest {
    private static final String TERMS = "\"terms\": {\"x\": {\"type\": \"linear\"}, \"g\": {\"type\": \"categorical\"}}";
    private static final ModelSpec JSON_SPEC = SpecParser.parse("{\"response\": \"y\", \"family\": \"poisson\", "
            + TERMS + "}", null);
    private static final ModelSpec CSV_SPEC = SpecParser.parse("{\"response\": \"y\", \"family\": \"poisson\", "
            + "\"csv_header\": [\"ts\", \"x\", \"g\", \"y\", \"note\"], " + TERMS + "}", null);

    private static RecordParser.Result parse(ModelSpec spec, String text) {
        return new RecordParser(spec, "ts", null).parse(text.getBytes(StandardCharsets.UTF_8), 0);
    }

    @Test
    void aCsvLineReadsAsTheSameRecordAsItsJson() {
        ParsedRecord json = parse(JSON_SPEC, "{\"ts\": 1700000000000, \"x\": 1.5, \"g\": \"a,b\", \"y\": 2}").record();
        ParsedRecord csv = parse(CSV_SPEC, "1700000000000,1.5,\"a,b\",2,\"said \"\"hi\"\"\"\r\n").record();
        assertThat(csv).isEqualTo(json);
        assertThat(parse(CSV_SPEC, "2023-11-14T22:13:20Z,1.5,\"a,b\",2,").record()).isEqualTo(json);
        // A JSON object is still read as JSON when the spec has a csv_header.
        assertThat(parse(CSV_SPEC, " {\"ts\": 1700000000000, \"x\": 1.5, \"g\": \"a,b\", \"y\": 2}").record())
                .isEqualTo(json);
    }

    @Test
    void badCsvLinesGetTheReasonsOfBadJson() {
        assertThat(parse(CSV_SPEC, "1,2,a,3").bad().detail()).contains("CSV line has 4 fields", "[ts, x, g, y, note]");
        assertThat(parse(CSV_SPEC, "1,2,\"a,3,4,5").bad().reason()).isEqualTo(BadRecord.MALFORMED);
        assertThat(parse(CSV_SPEC, "1,2,\"a\"b,3,4").bad().reason()).isEqualTo(BadRecord.MALFORMED);
        assertThat(parse(CSV_SPEC, "1,abc,a,3,").bad()).satisfies(b -> {
            assertThat(b.reason()).isEqualTo(BadRecord.WRONG_TYPE);
            assertThat(b.detail()).contains("field 'x' must be a number, got text 'abc'");
        });
        assertThat(parse(CSV_SPEC, "1,0x10,a,3,").bad().reason()).isEqualTo(BadRecord.WRONG_TYPE);
        assertThat(parse(CSV_SPEC, "1,1e999,a,3,").bad().detail()).contains("not finite");
        assertThat(parse(CSV_SPEC, "1,NA,a,3,").bad()).satisfies(b -> {
            assertThat(b.reason()).isEqualTo(BadRecord.MISSING_FIELD);
            assertThat(b.detail()).contains("field 'x' is empty");
        });
        assertThat(parse(CSV_SPEC, "1,2,,3,").bad().reason()).isEqualTo(BadRecord.MISSING_FIELD);
        assertThat(parse(CSV_SPEC, "yesterday,2,a,3,").bad().detail()).contains("field 'ts' is not an epoch");
        assertThat(parse(CSV_SPEC, ",2,a,3,").bad().detail()).contains("time field 'ts' is missing");
    }

    @Test
    void withoutACsvHeaderOnlyJsonObjectsAreRecords() {
        assertThat(parse(JSON_SPEC, "1700000000000,1.5,a,2").bad().reason()).isEqualTo(BadRecord.MALFORMED);
    }
}
