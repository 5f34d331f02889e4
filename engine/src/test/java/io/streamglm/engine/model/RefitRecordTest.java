package io.streamglm.engine.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The refit record's format version: what its readers accept and refuse. */
class RefitRecordTest {
    private static ObjectNode record(Integer version) {
        ObjectNode n = ResultJson.MAPPER.createObjectNode();
        if (version != null) {
            n.put("format_version", version);
        }
        n.put("model", "freq");
        n.put("refit", "w:2026-01-01T00:00:00Z/2026-01-01T01:00:00Z");
        return n;
    }

    @Test
    void recordsOfThisVersionAndRecordsWrittenBeforeTheFieldAreRead() {
        assertThatCode(() -> RefitRecord.checkReadable(record(RefitRecord.FORMAT_VERSION))).doesNotThrowAnyException();
        assertThatCode(() -> RefitRecord.checkReadable(record(null))).doesNotThrowAnyException();
    }

    @Test
    void aNewerRecordIsRefusedNamingItAndBothVersions() {
        assertThatThrownBy(() -> RefitRecord.checkReadable(record(RefitRecord.FORMAT_VERSION + 1)))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("refit w:2026-01-01T00:00:00Z/2026-01-01T01:00:00Z of freq")
                .hasMessageContaining("format_version " + (RefitRecord.FORMAT_VERSION + 1))
                .hasMessageContaining("versions 1 to " + RefitRecord.FORMAT_VERSION);
        assertThatThrownBy(() -> ModelFile.fromRefitRecord(record(RefitRecord.FORMAT_VERSION + 1)))
                .isInstanceOf(ModelFormatException.class);
    }
}
