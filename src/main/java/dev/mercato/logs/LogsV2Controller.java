package dev.mercato.logs;

import dev.mercato.security.Caller;
import dev.mercato.security.RequiresScope;
import dev.mercato.security.Scope;
import dev.mercato.shared.PageParams;
import dev.mercato.web.PagedResponses;
import dev.mercato.web.SnakeCaseJson;
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
class LogsV2Controller {

    private final AccessLogService logs;

    LogsV2Controller(AccessLogService logs) {
        this.logs = logs;
    }

    @SnakeCaseJson
    record LogEntryV2(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            String id,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            Instant timestamp,

            @Schema(
                    requiredMode = Schema.RequiredMode.REQUIRED,
                    allowableValues = {"info", "warn", "error"})
            String level,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            String message,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            String method,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            String path,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            int status,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            long durationMs,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            String requestId,

            String credentialId,
            String userId,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            String ipAddress) {

        static LogEntryV2 from(AccessLogEntry entry) {
            return new LogEntryV2(
                    entry.id(),
                    entry.timestamp(),
                    entry.level(),
                    entry.message(),
                    entry.method(),
                    entry.path(),
                    entry.status(),
                    entry.durationMs(),
                    entry.requestId(),
                    entry.credentialId(),
                    entry.userId(),
                    entry.ipAddress());
        }
    }

    @Operation(summary = "List API access logs", description = "Newest first.")
    @RequiresScope(Scope.LOGS_READ)
    @GetMapping(path = "/v2/logs", produces = "application/json")
    ResponseEntity<List<LogEntryV2>> list(
            @AuthenticationPrincipal Caller caller,
            @Parameter(description = "Entries from this time on (ISO 8601).", schema = @Schema(format = "date-time"))
                    @RequestParam(name = "start_date", required = false)
                    String startDate,
            @Parameter(description = "Entries up to this time (ISO 8601).", schema = @Schema(format = "date-time"))
                    @RequestParam(name = "end_date", required = false)
                    String endDate,
            @Parameter(schema = @Schema(allowableValues = {"info", "warn", "error"})) @RequestParam(required = false)
                    String level,
            @Valid @ParameterObject PageParams page) {
        LogQuery query = LogQuery.parse(startDate, "start_date", endDate, "end_date", level);
        return PagedResponses.of(logs.find(caller, query, page).map(LogEntryV2::from), page);
    }
}
