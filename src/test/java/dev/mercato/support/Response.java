package dev.mercato.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** An HTTP response with assertion helpers that print the body when they fail. */
public final class Response {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String method;
    private final String path;
    private final HttpResponse<String> raw;

    Response(String method, String path, HttpResponse<String> raw) {
        this.method = method;
        this.path = path;
        this.raw = raw;
    }

    public String method() {
        return method;
    }

    public String path() {
        return path;
    }

    public int status() {
        return raw.statusCode();
    }

    public String body() {
        return raw.body();
    }

    public JsonNode json() {
        return JSON.readTree(raw.body());
    }

    public String header(String name) {
        return raw.headers().firstValue(name).orElse(null);
    }

    public List<String> headers(String name) {
        return raw.headers().allValues(name);
    }

    public Map<String, List<String>> allHeaders() {
        return raw.headers().map();
    }

    /** Asserts the status, showing the body on failure. */
    public Response expect(int status) {
        assertThat(status()).as(method + " " + path + " answered " + body()).isEqualTo(status);
        return this;
    }

    /** Asserts an error response: status, the error body's code, and returns the {@code error} object. */
    public JsonNode expectError(int status, String code) {
        expect(status);
        JsonNode error = json().get("error");
        assertThat(error).as("error body of " + body()).isNotNull();
        assertThat(error.get("code").asString()).as("error code in " + body()).isEqualTo(code);
        assertThat(error.get("message").asString())
                .as("error message in " + body())
                .isNotBlank();
        assertThat(error.has("details")).as("error details in " + body()).isTrue();
        return error;
    }
}
