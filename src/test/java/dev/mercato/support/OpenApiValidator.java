package dev.mercato.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Checks a response, status, headers and body, against the OpenAPI document of its API version. A path outside
 * the API ({@link ApiPaths}) is not checked; a path of the API that the documents lack is a failure, unless the
 * test says it sent a deliberately unknown route.
 */
final class OpenApiValidator {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final OpenApiInteractionValidator v1;
    private final OpenApiInteractionValidator v2;

    OpenApiValidator(String v1Spec, String v2Spec) {
        this.v1 = OpenApiInteractionValidator.createForInlineApiSpecification(asOpenApi30(v1Spec))
                .build();
        this.v2 = OpenApiInteractionValidator.createForInlineApiSpecification(asOpenApi30(v2Spec))
                .build();
    }

    void check(Response response, boolean unknownRoute) {
        String path = response.path().replaceAll("\\?.*", "");
        if (ApiPaths.isOutsideTheApi(path)) {
            return;
        }
        OpenApiInteractionValidator validator = path.startsWith("/v2/") ? v2 : v1;
        SimpleResponse.Builder simple = SimpleResponse.Builder.status(response.status());
        response.allHeaders().forEach(simple::withHeader);
        if (response.body() != null && !response.body().isEmpty()) {
            simple.withBody(response.body());
        }
        ValidationReport report =
                validator.validateResponse(path, Request.Method.valueOf(response.method()), simple.build());
        if (unknownRoute) {
            assertThat(report.getMessages())
                    .as(response.method() + " " + path + " is meant to be unknown")
                    .anyMatch(message -> message.getKey().endsWith(".path.missing"));
        } else if (report.hasErrors()) {
            fail(response.method() + " " + response.path() + " (" + response.status() + ") does not match the OpenAPI "
                    + "document:\n"
                    + report.getMessages().stream()
                            .map(message -> message.getKey() + ": " + message.getMessage())
                            .collect(Collectors.joining("\n"))
                    + "\nheaders: " + response.allHeaders()
                    + "\nbody: " + response.body());
        }
    }

    /**
     * The validator reads OpenAPI 3.1 documents but then checks no {@code type} at all (3.1 parses it into a list the
     * schema check does not look at), so a number where a string belongs would pass. Our documents use nothing of
     * 3.1 but null as a second type ({@code "type": ["string", "null"]}, {@code "anyOf": [{"$ref": ...},
     * {"type": "null"}]}), so they are checked as the 3.0 documents they otherwise are, with {@code nullable}.
     */
    static String asOpenApi30(String spec) {
        ObjectNode document = (ObjectNode) JSON.readTree(spec);
        document.put("openapi", "3.0.3");
        nullable(document, document.path("components").path("schemas"));
        return JSON.writeValueAsString(document);
    }

    private static void nullable(JsonNode node, JsonNode schemas) {
        if (node instanceof ObjectNode object) {
            if (object.get("type") instanceof ArrayNode types) {
                List<String> named = new ArrayList<>();
                types.forEach(type -> named.add(type.asString()));
                assertThat(named.remove("null"))
                        .as("null and one type in " + object)
                        .isTrue();
                assertThat(named).as("null and one type in " + object).hasSize(1);
                object.put("type", named.get(0)).put("nullable", true);
            }
            if (object.get("anyOf") instanceof ArrayNode members
                    && members.size() == 2
                    && members.get(1).path("type").asString("").equals("null")) {
                // 3.0 has no null type, and a nullable allOf or $ref still refuses null: the schema itself, nullable.
                String ref = members.get(0).path("$ref").asString();
                object.remove("anyOf");
                object.setAll((ObjectNode)
                        schemas.path(ref.substring(ref.lastIndexOf('/') + 1)).deepCopy());
                object.put("nullable", true);
            }
            object.properties().forEach(property -> nullable(property.getValue(), schemas));
        } else if (node instanceof ArrayNode array) {
            array.forEach(element -> nullable(element, schemas));
        }
    }
}
