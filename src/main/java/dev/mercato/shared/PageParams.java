package dev.mercato.shared;

import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * The {@code limit} and {@code offset} query parameters of every list endpoint. Bind it with
 * {@code @Valid @ParameterObject PageParams page}; out-of-range or non-integer values answer 400.
 */
public record PageParams(
        @Parameter(
                description = "Maximum number of items to return.",
                schema =
                        @Schema(
                                type = "integer",
                                format = "int32",
                                minimum = "1",
                                maximum = "" + PageParams.MAX_LIMIT,
                                defaultValue = "" + PageParams.DEFAULT_LIMIT))
        @Min(value = 1, message = "must be between 1 and 100")
        @Max(value = PageParams.MAX_LIMIT, message = "must be between 1 and 100")
        Integer limit,

        @Parameter(
                description = "Number of items to skip from the beginning of the list.",
                schema = @Schema(type = "integer", format = "int32", minimum = "0", defaultValue = "0"))
        @Min(value = 0, message = "must be 0 or greater")
        Integer offset) {

    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;

    public PageParams {
        limit = limit == null ? DEFAULT_LIMIT : limit;
        offset = offset == null ? 0 : offset;
    }

    public static PageParams of(int limit, int offset) {
        return new PageParams(limit, offset);
    }
}
