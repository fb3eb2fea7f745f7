package dev.mercato.web;

import io.swagger.v3.oas.annotations.media.Schema;

/** The error body every non-2xx response carries: {@code {"error": {"code", "message", "details"}}}. */
@Schema(name = "Error", description = "The body of every error response.")
public record ApiError(
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) Body error) {

    @Schema(name = "ErrorBody")
    public record Body(
            @Schema(
                    description = "Stable machine-readable code, UPPER_SNAKE_CASE.",
                    example = "INVALID_PARAMETER",
                    requiredMode = Schema.RequiredMode.REQUIRED)
            String code,

            @Schema(
                    description = "A human-readable sentence.",
                    example = "The 'userId' parameter is required.",
                    requiredMode = Schema.RequiredMode.REQUIRED)
            String message,

            @Schema(
                    description = "The field, parameter or value concerned, when there is one.",
                    example = "userId (string)",
                    requiredMode = Schema.RequiredMode.REQUIRED)
            String details) {}

    public static ApiError of(String code, String message, String details) {
        return new ApiError(new Body(code, message, details == null ? "" : details));
    }
}
