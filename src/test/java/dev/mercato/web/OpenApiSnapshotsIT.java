package dev.mercato.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mercato.support.ApiTestSupport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The OpenAPI documents the build generates its Java client from (src/test/resources/openapi/, see the pom) are the
 * ones the server serves: a change to the API that the snapshots lack fails here, so the client is never generated
 * from a stale document. To take a change in, run this test with {@code -Dmercato.openapi.update-snapshots=true}
 * and commit the rewritten files.
 */
class OpenApiSnapshotsIT extends ApiTestSupport {

    static final Path SNAPSHOTS = Path.of("src", "test", "resources", "openapi");
    private static final String TEST_ONLY = FailingOperationForTests.PATH.replaceAll("/[^/]*$", "/");
    private static final JsonMapper JSON =
            JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    @ParameterizedTest
    @ValueSource(strings = {"v1", "v2"})
    void theSnapshotIsTheServedDocument(String version) throws IOException {
        JsonNode served = asPublished(
                api.get("/openapi/" + version + ".json").send().expect(200).json());
        Path snapshot = SNAPSHOTS.resolve(version + ".json");
        if (Boolean.getBoolean("mercato.openapi.update-snapshots")) {
            Files.createDirectories(SNAPSHOTS);
            Files.writeString(snapshot, JSON.writeValueAsString(served) + "\n");
        }

        assertThat(JSON.readTree(Files.readString(snapshot)))
                .as(snapshot + " differs from /openapi/" + version + ".json: run this test with "
                        + "-Dmercato.openapi.update-snapshots=true and commit the result")
                .isEqualTo(served);
    }

    /**
     * The document as any server publishes it: without the address of this test server, and without the operation
     * that exists only in the test sources (FailingOperationForTests). Keys sorted, so a snapshot's diff shows what
     * changed and nothing else.
     */
    private static JsonNode asPublished(JsonNode document) {
        ObjectNode published = (ObjectNode) document.deepCopy();
        published.remove("servers");
        ObjectNode paths = (ObjectNode) published.path("paths");
        List<String> testOnly = new ArrayList<>();
        paths.propertyNames().forEach(path -> {
            if (path.startsWith(TEST_ONLY)) {
                testOnly.add(path);
            }
        });
        testOnly.forEach(paths::remove);
        return sorted(published);
    }

    private static JsonNode sorted(JsonNode node) {
        if (node instanceof ObjectNode object) {
            ObjectNode copy = JSON.createObjectNode();
            object.propertyNames().stream().sorted().forEach(name -> copy.set(name, sorted(object.get(name))));
            return copy;
        }
        if (node.isArray()) {
            var copy = JSON.createArrayNode();
            node.forEach(element -> copy.add(sorted(element)));
            return copy;
        }
        return node;
    }
}
