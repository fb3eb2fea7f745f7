package dev.mercato.support;

import static org.assertj.core.api.Assertions.fail;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import java.util.stream.Collectors;

/** Checks a response against the OpenAPI document of its API version. */
final class OpenApiValidator {

    private final OpenApiInteractionValidator v1;
    private final OpenApiInteractionValidator v2;

    OpenApiValidator(String v1Spec, String v2Spec) {
        this.v1 = build(v1Spec);
        this.v2 = build(v2Spec);
    }

    private static OpenApiInteractionValidator build(String spec) {
        return OpenApiInteractionValidator.createForInlineApiSpecification(spec)
                .withLevelResolver(LevelResolver.create()
                        // Unknown routes are tested on purpose; their status is asserted by the test itself.
                        .withLevel("validation.response.path.missing", ValidationReport.Level.IGNORE)
                        .withLevel("validation.request.path.missing", ValidationReport.Level.IGNORE)
                        .build())
                .build();
    }

    void check(Response response) {
        String path = response.path().replaceAll("\\?.*", "");
        OpenApiInteractionValidator validator = path.startsWith("/v2/") ? v2 : v1;
        SimpleResponse.Builder simple = SimpleResponse.Builder.status(response.status());
        String contentType = response.header("Content-Type");
        if (contentType != null) {
            simple.withContentType(contentType);
        }
        if (response.body() != null && !response.body().isEmpty()) {
            simple.withBody(response.body());
        }
        ValidationReport report = validator.validateResponse(path, Request.Method.valueOf(response.method()),
                simple.build());
        if (report.hasErrors()) {
            fail(response.method() + " " + response.path() + " (" + response.status() + ") does not match the OpenAPI "
                    + "document:\n" + report.getMessages().stream().map(Object::toString)
                    .collect(Collectors.joining("\n")) + "\nbody: " + response.body());
        }
    }
}
