package dev.mercato.logs;

import dev.mercato.security.Caller;
import dev.mercato.security.RequiresScope;
import dev.mercato.security.Scope;
import dev.mercato.shared.PageParams;
import dev.mercato.web.PagedResponses;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.time.Instant;
import java.util.List;
import org.springdoc.core.annotations.ParameterObject;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "Logs")
@RestController
class LogsV1Controller {

    private final AccessLogService logs;

    LogsV1Controller(AccessLogService logs) {
        this.logs = logs;
    }

    record LogEntryV1(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            Instant timestamp,

            @Schema(
                    requiredMode = Schema.RequiredMode.REQUIRED,
                    allowableValues = {"info", "warn", "error"})
            String level,

            @Schema(
                    requiredMode = Schema.RequiredMode.REQUIRED,
                    example = "User 'johndoe' accessed GET /products (200, 4 ms).")
            String message,

            String userId,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "192.168.1.100")
            String ipAddress) {

        static LogEntryV1 from(AccessLogEntry entry) {
            return new LogEntryV1(entry.timestamp(), entry.level(), entry.message(), entry.userId(), entry.ipAddress());
        }
    }

    @Operation(summary = "List API access logs", description = "Newest first.")
    @RequiresScope(Scope.LOGS_READ)
    @GetMapping(
            path = {"/logs", "/v1/logs"},
            produces = "application/json")
    ResponseEntity<List<LogEntryV1>> list(
            @AuthenticationPrincipal Caller caller,
            @Parameter(description = "Entries from this time on (ISO 8601).", schema = @Schema(format = "date-time"))
                    @RequestParam(required = false)
                    String startDate,
            @Parameter(description = "Entries up to this time (ISO 8601).", schema = @Schema(format = "date-time"))
                    @RequestParam(required = false)
                    String endDate,
            @Parameter(schema = @Schema(allowableValues = {"info", "warn", "error"})) @RequestParam(required = false)
                    String level,
            @Valid @ParameterObject PageParams page) {
        LogQuery query = LogQuery.parse(startDate, "startDate", endDate, "endDate", level);
        return PagedResponses.of(logs.find(caller, query, page).map(LogEntryV1::from), page);
    }
}
