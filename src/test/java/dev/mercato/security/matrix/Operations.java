package dev.mercato.security.matrix;

import dev.mercato.support.Api;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Every operation the server documents in its OpenAPI documents (/openapi/v1.json, /openapi/v2.json), read from
 * the running server: what the matrix tests go through, so a new route is covered as soon as it is documented.
 */
record Operations(List<Operation> all) {

    private static final Pattern PARAMETER = Pattern.compile("\\{([^}]+)}");
    private static final Set<String> METHODS = Set.of("get", "post", "put", "patch", "delete");

    /**
     * @param scopes the scopes the operation requires (empty for an open one)
     * @param body whether it takes a JSON request body
     * @param bodySchema the request body's schema, resolved, or null
     * @param queryParameters the names of its query parameters
     */
    record Operation(
            String method,
            String path,
            Set<String> scopes,
            boolean body,
            JsonNode bodySchema,
            List<String> queryParameters,
            JsonNode document) {

        /** {@code schema}, its {@code $ref} followed within this operation's document. */
        JsonNode resolve(JsonNode schema) {
            return Operations.resolve(document, schema);
        }

        /** The path with every parameter replaced by {@code value(name)}. */
        String path(java.util.function.Function<String, String> value) {
            Matcher matcher = PARAMETER.matcher(path);
            StringBuilder result = new StringBuilder();
            while (matcher.find()) {
                matcher.appendReplacement(result, Matcher.quoteReplacement(value.apply(matcher.group(1))));
            }
            matcher.appendTail(result);
            return result.toString();
        }

        List<String> pathParameters() {
            List<String> names = new ArrayList<>();
            Matcher matcher = PARAMETER.matcher(path);
            while (matcher.find()) {
                names.add(matcher.group(1));
            }
            return names;
        }

        Api.Call call(Api api, String concretePath, String json) {
            return switch (method) {
                case "get" -> api.get(concretePath);
                case "delete" -> api.delete(concretePath);
                case "post" -> api.post(concretePath, json == null ? "{}" : json);
                case "put" -> api.put(concretePath, json == null ? "{}" : json);
                default -> api.patch(concretePath, json == null ? "{}" : json);
            };
        }

        @Override
        public String toString() {
            return method.toUpperCase(java.util.Locale.ROOT) + " " + path;
        }
    }

    static Operations of(Api api) {
        List<Operation> operations = new ArrayList<>();
        for (String version : List.of("v1", "v2")) {
            JsonNode document = api.get("/openapi/" + version + ".json")
                    .unvalidated()
                    .send()
                    .expect(200)
                    .json();
            for (Map.Entry<String, JsonNode> path : document.get("paths").properties()) {
                for (Map.Entry<String, JsonNode> entry : path.getValue().properties()) {
                    if (METHODS.contains(entry.getKey())) {
                        operations.add(operation(document, path.getKey(), entry.getKey(), entry.getValue()));
                    }
                }
            }
        }
        return new Operations(List.copyOf(operations));
    }

    List<Operation> secured() {
        return all.stream().filter(operation -> !operation.scopes().isEmpty()).toList();
    }

    List<Operation> withBody() {
        return all.stream().filter(Operation::body).toList();
    }

    private static Operation operation(JsonNode document, String path, String method, JsonNode operation) {
        Set<String> scopes = new LinkedHashSet<>();
        JsonNode security = operation.get("security");
        if (security != null && !security.isEmpty()) {
            security.get(0)
                    .properties()
                    .forEach(requirement -> requirement.getValue().forEach(scope -> scopes.add(scope.asString())));
        }
        List<String> query = new ArrayList<>();
        JsonNode parameters = operation.get("parameters");
        if (parameters != null) {
            parameters.forEach(reference -> {
                JsonNode parameter = resolve(document, reference);
                if (parameter.has("in") && "query".equals(parameter.get("in").asString())) {
                    query.add(parameter.get("name").asString());
                }
            });
        }
        JsonNode schema = operation.at("/requestBody/content/application~1json/schema");
        boolean body = !schema.isMissingNode();
        return new Operation(method, path, scopes, body, body ? resolve(document, schema) : null, query, document);
    }

    /** The schema, its {@code $ref} followed. */
    static JsonNode resolve(JsonNode document, JsonNode schema) {
        JsonNode ref = schema.get("$ref");
        if (ref == null) {
            return schema;
        }
        return document.at(ref.asString().substring(1));
    }
}
