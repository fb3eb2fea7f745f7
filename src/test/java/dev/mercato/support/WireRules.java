package dev.mercato.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two rules of the API's JSON that the OpenAPI documents cannot hold by themselves, checked on every response the
 * end-to-end tests see: an absent value is left out, never written as {@code null} (docs/api-conventions.md), and
 * an error about a field or parameter names it with its type in {@code details}, {@code amount (number)}, never as a
 * bare name (docs/errors.md).
 */
final class WireRules {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The error codes that are about a field or parameter of the request, when they are about one at all. */
    private static final Set<String> FIELD_CODES = Set.of(
            "INVALID_PARAMETER",
            "UNKNOWN_FIELD",
            "USER_NOT_FOUND",
            "PRODUCT_NOT_FOUND",
            "CURRENCY_MISMATCH",
            "AMOUNT_MISMATCH",
            "USERNAME_TAKEN",
            "EMAIL_TAKEN",
            "REFUND_EXCEEDS_CAPTURED");

    private static final Pattern FIELD_WITH_TYPE =
            Pattern.compile("\\S+ \\((string|number|integer|boolean|array|object|null|date|datetime)\\)");
    /** A request header, which is not a field: named as HTTP spells it ({@code Idempotency-Key}). */
    private static final Pattern HEADER = Pattern.compile("[A-Z][a-z]*(-[A-Z][A-Za-z]*)+");

    private WireRules() {}

    static void check(Response response) {
        String contentType = response.header("Content-Type");
        if (contentType == null
                || !contentType.contains("json")
                || response.body().isEmpty()) {
            return;
        }
        assertThat(violations(response.body()))
                .as(response.method() + " " + response.path() + " (" + response.status() + ") answered "
                        + response.body())
                .isEmpty();
    }

    /** What in this JSON body breaks the rules, each as a sentence; empty when nothing does. */
    static List<String> violations(String body) {
        JsonNode json = JSON.readTree(body);
        List<String> found = new ArrayList<>();
        nulls(json, "", found);
        JsonNode error = json.path("error");
        String code = error.path("code").asString("");
        String details = error.path("details").asString("");
        if (FIELD_CODES.contains(code)
                && !details.isEmpty()
                && !FIELD_WITH_TYPE.matcher(details).matches()
                && !HEADER.matcher(details).matches()) {
            found.add("details of " + code + " is '" + details + "', not a field and its type such as "
                    + "'amount (number)'");
        }
        return found;
    }

    private static void nulls(JsonNode node, String path, List<String> found) {
        if (node.isNull()) {
            found.add((path.isEmpty() ? "the body" : path) + " is null; absent values are left out");
        } else if (node.isObject()) {
            node.properties().forEach(member -> nulls(member.getValue(), path + "/" + member.getKey(), found));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                nulls(node.get(i), path + "/" + i, found);
            }
        }
    }
}
