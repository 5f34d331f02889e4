package io.streamglm.connectors.reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** One folder of R reference fits: {@code data.csv}, {@code spec.json}, {@code expected.json}. */
record ReferenceCase(String name, Path dir) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    Path data() {
        return dir.resolve("data.csv");
    }

    String specJson() {
        try {
            return Files.readString(dir.resolve("spec.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    JsonNode expected() {
        try {
            return MAPPER.readTree(dir.resolve("expected.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every case folder under {@code root}, sorted by name. */
    static List<ReferenceCase> under(Path root) {
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(d -> Files.exists(d.resolve("expected.json")))
                    .sorted()
                    .map(d -> new ReferenceCase(d.getFileName().toString(), d))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The shared reference cases beside the repository ({@code -Dstreamglm.shared.dir}, else {@code ../shared}). */
    static Path sharedCases() {
        String shared = System.getProperty("streamglm.shared.dir");
        Path base = shared != null ? Path.of(shared) : Path.of("..", "..", "shared");
        return base.resolve("reference").resolve("cases");
    }

    /** streamglm's own R reference fits, made by {@code reference/make_cases.R}. */
    static Path projectCases() {
        String project = System.getProperty("streamglm.project.dir");
        Path base = project != null ? Path.of(project) : Path.of("..");
        return base.resolve("reference").resolve("cases");
    }

    static List<String> fieldNames(JsonNode node) {
        List<String> out = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            out.add(it.next().getKey());
        }
        return out;
    }
}
