package dev.mercato.support;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.Test;

/** The check every end-to-end response goes through: status, headers and body, and paths the documents lack. */
class OpenApiValidatorTest {

    private static final String DOCUMENT = """
            {"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
             "paths": {"/v2/things": {"get": {"responses": {"200": {
               "description": "ok",
               "headers": {"X-Total-Count": {"$ref": "#/components/headers/X-Total-Count"}},
               "content": {"application/json": {"schema": {"type": "array",
                 "items": {"$ref": "#/components/schemas/Thing"}}}}}}}}},
             "components": {"headers": {"X-Total-Count": {"required": true, "schema": {"type": "integer"}}},
               "schemas": {"Thing": {"type": "object", "required": ["id"], "properties": {
                 "id": {"type": "string"}, "note": {"type": ["string", "null"]},
                 "part": {"anyOf": [{"$ref": "#/components/schemas/Part"}, {"type": "null"}]}}},
               "Part": {"type": "object", "required": ["n"], "properties": {"n": {"type": "integer"}}}}}}
            """;
    private static final Map<String, List<String>> JSON = Map.of("Content-Type", List.of("application/json"));

    private final OpenApiValidator validator = new OpenApiValidator(DOCUMENT, DOCUMENT);

    @Test
    void aResponseWithItsDocumentedHeadersPasses() {
        assertThatCode(() -> validator.check(response("/v2/things", withTotal("3")), false))
                .doesNotThrowAnyException();
    }

    @Test
    void aFieldOfTheWrongTypeFails() {
        assertThatThrownBy(() -> validator.check(response("/v2/things", withTotal("1"), "[{\"id\": 7}]"), false))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("/0/id");
        assertThatThrownBy(() -> validator.check(response("/v2/things", withTotal("1"), "{}"), false))
                .isInstanceOf(AssertionError.class);
        assertThatCode(() -> validator.check(
                        response(
                                "/v2/things",
                                withTotal("1"),
                                "[{\"id\": \"a\", \"note\": null, \"part\": null}, {\"id\": \"b\", \"note\": \"n\", "
                                        + "\"part\": {\"n\": 1}}]"),
                        false))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> validator.check(
                        response("/v2/things", withTotal("1"), "[{\"id\": \"a\", \"part\": {\"n\": \"one\"}}]"), false))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("/0/part/n");
    }

    @Test
    void aMissingRequiredHeaderFails() {
        assertThatThrownBy(() -> validator.check(response("/v2/things", JSON), false))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("X-Total-Count");
    }

    @Test
    void aHeaderOfTheWrongTypeFails() {
        assertThatThrownBy(() -> validator.check(response("/v2/things", withTotal("many")), false))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("X-Total-Count");
    }

    @Test
    void aPathTheDocumentsLackFailsUnlessItIsMeantToBeUnknown() {
        assertThatThrownBy(() -> validator.check(response("/v2/other", JSON), false))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("path.missing");
        assertThatCode(() -> validator.check(response("/v2/other", JSON), true)).doesNotThrowAnyException();
        assertThatThrownBy(() -> validator.check(response("/v2/things", withTotal("3")), true))
                .isInstanceOf(AssertionError.class);
    }

    @Test
    void pathsOutsideTheApiAreNotChecked() {
        for (String path : List.of(
                "/health",
                "/metrics",
                "/oauth/token",
                "/.well-known/jwks.json",
                "/docs",
                "/openapi/v1.json",
                "/login")) {
            assertThatCode(() -> validator.check(response(path, Map.of()), false))
                    .as(path)
                    .doesNotThrowAnyException();
        }
    }

    private static Map<String, List<String>> withTotal(String total) {
        return Map.of("Content-Type", List.of("application/json"), "X-Total-Count", List.of(total));
    }

    private static Response response(String path, Map<String, List<String>> headers) {
        return response(path, headers, "[]");
    }

    private static Response response(String path, Map<String, List<String>> headers, String body) {
        return new Response("GET", path, new StubResponse(HttpHeaders.of(headers, (name, value) -> true), body));
    }

    private record StubResponse(HttpHeaders headers, String body) implements HttpResponse<String> {

        @Override
        public int statusCode() {
            return 200;
        }

        @Override
        public HttpRequest request() {
            return HttpRequest.newBuilder(URI.create("http://localhost/")).build();
        }

        @Override
        public Optional<HttpResponse<String>> previousResponse() {
            return Optional.empty();
        }

        @Override
        public Optional<SSLSession> sslSession() {
            return Optional.empty();
        }

        @Override
        public URI uri() {
            return request().uri();
        }

        @Override
        public HttpClient.Version version() {
            return HttpClient.Version.HTTP_1_1;
        }
    }
}
