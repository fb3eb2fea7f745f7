package dev.mercato.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A small HTTP client for the tests: {@code api.get("/v2/products").as(key).send()}. Every response to a path
 * of the API is validated against {@code /openapi/v1.json} or {@code /openapi/v2.json} (by path), status, headers
 * and body, and held to the {@link WireRules}; a request to a deliberately unknown route says {@code .unknownRoute()}, one the documents cannot
 * describe (a wrong method, a path the servlet container refuses) {@code .unvalidated()}.
 */
public final class Api {

    private static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Map<Integer, Api> BY_PORT = new ConcurrentHashMap<>();

    private final String base;
    private volatile OpenApiValidator validator;

    private Api(int port) {
        this.base = "http://localhost:" + port;
    }

    public static Api forPort(int port) {
        return BY_PORT.computeIfAbsent(port, Api::new);
    }

    public String base() {
        return base;
    }

    public Call get(String path) {
        return new Call(this, "GET", path);
    }

    public Call post(String path, String json) {
        return new Call(this, "POST", path).json(json);
    }

    public Call put(String path, String json) {
        return new Call(this, "PUT", path).json(json);
    }

    public Call patch(String path, String json) {
        return new Call(this, "PATCH", path).body("application/merge-patch+json", json);
    }

    public Call delete(String path) {
        return new Call(this, "DELETE", path);
    }

    public Call method(String method, String path) {
        return new Call(this, method, path);
    }

    OpenApiValidator validator() {
        if (validator == null) {
            synchronized (this) {
                if (validator == null) {
                    validator = new OpenApiValidator(fetch("/openapi/v1.json"), fetch("/openapi/v2.json"));
                }
            }
        }
        return validator;
    }

    private String fetch(String path) {
        try {
            HttpResponse<String> response = CLIENT.send(
                    HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("GET " + path).isEqualTo(200);
            return response.body();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One request being built; {@link #send()} performs it. */
    public static final class Call {

        private final Api api;
        private final String method;
        private final String path;
        private final HttpRequest.Builder request;
        private HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.noBody();
        private boolean validate = true;
        private boolean unknownRoute;

        Call(Api api, String method, String path) {
            this.api = api;
            this.method = method;
            this.path = path;
            this.request = HttpRequest.newBuilder(URI.create(api.base + path)).timeout(Duration.ofSeconds(30));
        }

        /** Authenticates with an API key or access token. */
        public Call as(String token) {
            return header("Authorization", "Bearer " + token);
        }

        public Call asAdmin() {
            return as(ApiTestSupport.ADMIN_KEY);
        }

        public Call header(String name, String value) {
            request.header(name, value);
            return this;
        }

        public Call json(String json) {
            return body("application/json", json);
        }

        public Call body(String contentType, String content) {
            request.header("Content-Type", contentType);
            body = HttpRequest.BodyPublishers.ofString(content);
            return this;
        }

        public Call rawBody(HttpRequest.BodyPublisher publisher) {
            body = publisher;
            return this;
        }

        /** Skips the check against the documents: for requests that the documents cannot describe. */
        public Call unvalidated() {
            validate = false;
            return this;
        }

        /** A route that is deliberately not the API's: the check asserts that the documents lack it. */
        public Call unknownRoute() {
            unknownRoute = true;
            return this;
        }

        public Response send() {
            try {
                HttpResponse<String> response =
                        CLIENT.send(request.method(method, body).build(), HttpResponse.BodyHandlers.ofString());
                Response result = new Response(method, path, response);
                if (validate) {
                    api.validator().check(result, unknownRoute);
                }
                if (!ApiPaths.isOutsideTheApi(path.replaceAll("\\?.*", ""))) {
                    WireRules.check(result);
                }
                return result;
            } catch (IOException e) {
                throw new IllegalStateException(method + " " + path + " failed", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
