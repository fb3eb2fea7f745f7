package dev.mercato.reports;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.mercato.security.Caller;
import dev.mercato.security.RequiresScope;
import dev.mercato.security.Scope;
import dev.mercato.shared.InvalidRequestException;
import dev.mercato.shared.Page;
import dev.mercato.shared.PageParams;
import dev.mercato.web.ETags;
import dev.mercato.web.PagedResponses;
import dev.mercato.web.SnakeCaseJson;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springdoc.core.annotations.ParameterObject;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.WebRequest;

@Tag(name = "Reports")
@RestController
@RequestMapping(path = "/v2/reports", produces = "application/json")
class ReportsV2Controller {

    private static final String STATUSES = "pending|running|completed|failed";
    private static final String FORMATS = "json|csv";

    private final ReportService reports;

    ReportsV2Controller(ReportService reports) {
        this.reports = reports;
    }

    @SnakeCaseJson
    record ReportTypeV2(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "sales_summary")
            String type,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "Sales summary")
            String name,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            String description,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            List<ParameterV2> parameters,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "The columns of the report's rows.")
            List<ColumnV2> columns) {

        static ReportTypeV2 from(ReportType type) {
            return new ReportTypeV2(
                    type.wireName(),
                    type.title(),
                    type.description(),
                    type.parameters().stream().map(ParameterV2::from).toList(),
                    type.columns().stream()
                            .map(column -> new ColumnV2(column.name(), column.type(), column.description()))
                            .toList());
        }
    }

    @SnakeCaseJson
    record ParameterV2(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "start_date")
            String name,

            @Schema(
                    requiredMode = Schema.RequiredMode.REQUIRED,
                    description = "date (an ISO 8601 date string), string or integer.",
                    allowableValues = {"date", "string", "integer"})
            String type,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            boolean required,

            @Schema(description = "The value when none is given: a string or an integer, as the parameter's type.")
            @JsonProperty("default")
            Object defaultValue,

            @Schema(description = "The only values it takes.")
            List<String> allowedValues,

            Integer minimum,
            Integer maximum,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            String description) {

        static ParameterV2 from(ReportParameter parameter) {
            return new ParameterV2(
                    parameter.name(),
                    parameter.kind().wireType(),
                    parameter.required(),
                    parameter.defaultValue(),
                    parameter.allowedValues().isEmpty() ? null : parameter.allowedValues(),
                    parameter.minimum(),
                    parameter.maximum(),
                    parameter.description());
        }
    }

    @SnakeCaseJson
    record ColumnV2(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "gross_revenue")
            String name,

            @Schema(
                    requiredMode = Schema.RequiredMode.REQUIRED,
                    description = "money is an exact amount in the row's currency, at its minor-unit precision.",
                    allowableValues = {"date", "string", "integer", "decimal", "money"})
            String type,

            String description) {}

    @SnakeCaseJson
    record GenerateReportV2(
            @Schema(
                    requiredMode = Schema.RequiredMode.REQUIRED,
                    description = "A type that GET /v2/reports lists.",
                    example = "sales_summary")
            @NotBlank
            String type,

            @Schema(
                    description = "The type's parameters by name; GET /v2/reports lists them.",
                    example = "{\"start_date\": \"2025-01-01\", \"end_date\": \"2025-12-31\", "
                            + "\"timezone\": \"Europe/Berlin\", \"granularity\": \"month\"}")
            Map<String, Object> parameters,

            @Schema(
                    description = "The download's format. Default json.",
                    allowableValues = {"json", "csv"})
            @Pattern(regexp = FORMATS, message = "must be one of json, csv")
            String format) {}

    @SnakeCaseJson
    record ReportV2(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "rpt_8HkQ2mZr5VtXb3Lp")
            String id,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "sales_summary")
            String type,

            @Schema(
                    requiredMode = Schema.RequiredMode.REQUIRED,
                    allowableValues = {"pending", "running", "completed", "failed"})
            String status,

            @Schema(
                    requiredMode = Schema.RequiredMode.REQUIRED,
                    allowableValues = {"json", "csv"})
            String format,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "Every parameter, defaults filled in.")
            Map<String, Object> parameters,

            @Schema(description = "The rows of a completed report.")
            Integer rowCount,

            @Schema(description = "Why a failed report failed.")
            String error,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            Instant createdAt,

            @Schema(description = "When its latest generation run started.")
            Instant startedAt,

            @Schema(description = "When its figures were read: a range that includes today is as of this moment.")
            Instant generatedAt,

            @Schema(description = "When it completed or failed.")
            Instant completedAt,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "When it is purged.")
            Instant expiresAt,

            @Schema(description = "Where a completed report downloads, as CSV or JSON.")
            String downloadUrl,

            @Schema(description = "A completed report's rows, one page of them (limit, offset).")
            ResultV2 result) {

        static ReportV2 from(Report report, ResultV2 result) {
            return new ReportV2(
                    report.id(),
                    report.type().wireName(),
                    report.status(),
                    report.format(),
                    report.parameters(),
                    report.rowCount(),
                    report.error(),
                    report.createdAt(),
                    report.startedAt(),
                    report.generatedAt(),
                    report.completedAt(),
                    report.expiresAt(),
                    report.isCompleted() ? "/v2/reports/" + report.id() + "/download" : null,
                    result);
        }
    }

    @SnakeCaseJson
    record ResultV2(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            List<ColumnV2> columns,

            @ArraySchema(
                    arraySchema =
                            @Schema(
                                    requiredMode = Schema.RequiredMode.REQUIRED,
                                    description = "The first rows, objects keyed by the columns' names."),
                    schema = @Schema(type = "object", additionalProperties = Schema.AdditionalPropertiesValue.TRUE))
            List<Map<String, Object>> rows,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "Rows in all.")
            long totalRows,

            @Schema(
                    requiredMode = Schema.RequiredMode.REQUIRED,
                    description = "Where all the rows are, a page at a time.")
            String rowsUrl) {

        /** The rows a report shows itself; {@code /rows} pages through the rest. */
        static final int FIRST_ROWS = PageParams.MAX_LIMIT;
    }

    @Operation(
            summary = "List the report types",
            description = "Each type with its parameters (type, whether required, default, allowed values, limits) "
                    + "and the columns of its rows.")
    @RequiresScope(Scope.REPORTS_READ)
    @GetMapping
    ResponseEntity<List<ReportTypeV2>> types(@Valid @ParameterObject PageParams page) {
        List<ReportType> types = reports.types();
        List<ReportTypeV2> slice = types.stream()
                .skip(page.offset())
                .limit(page.limit())
                .map(ReportTypeV2::from)
                .toList();
        return PagedResponses.of(new Page<>(slice, types.size()), page);
    }

    @Operation(
            summary = "Generate a report",
            description = "Accepted and generated in the background; poll GET /v2/reports/{id} (or subscribe to the "
                    + "report.completed and report.failed webhook events) until it completes.")
    @ApiResponse(responseCode = "202", description = "Accepted: pending generation.")
    @ApiResponse(
            responseCode = "400",
            description = "An unknown type, or a parameter unknown, missing, of the wrong type, malformed or out of "
                    + "range (a reversed range, one longer than 366 days).")
    @RequiresScope(Scope.REPORTS_WRITE)
    @PostMapping(path = "/generate", consumes = "application/json")
    ResponseEntity<ReportV2> generate(
            @AuthenticationPrincipal Caller caller, @Valid @RequestBody GenerateReportV2 request) {
        Report report = reports.generate(caller, new NewReport(request.type(), request.parameters(), request.format()));
        return ResponseEntity.accepted()
                .location(URI.create("/v2/reports/" + report.id()))
                .body(ReportV2.from(report, null));
    }

    @Operation(summary = "List past reports", description = "Newest first, without their rows.")
    @RequiresScope(Scope.REPORTS_READ)
    @GetMapping("/runs")
    ResponseEntity<List<ReportV2>> runs(
            @AuthenticationPrincipal Caller caller,
            @Parameter(
                            description = "Only reports of this type.",
                            schema =
                                    @Schema(
                                            allowableValues = {
                                                "sales_summary",
                                                "top_products",
                                                "user_activity",
                                                "inventory",
                                                "api_usage"
                                            }))
                    @RequestParam(required = false)
                    String type,
            @Parameter(
                            description = "Only reports in this status.",
                            schema = @Schema(allowableValues = {"pending", "running", "completed", "failed"}))
                    @RequestParam(required = false)
                    @Pattern(regexp = STATUSES, message = "must be one of pending, running, completed, failed")
                    String status,
            @Valid @ParameterObject PageParams page) {
        if (type != null && ReportType.of(type).isEmpty()) {
            throw InvalidRequestException.parameter(
                    "type",
                    "Unknown report type '" + type + "'; the types are " + String.join(", ", ReportType.wireNames())
                            + ".",
                    "type (string)");
        }
        return PagedResponses.of(
                reports.list(caller, type, status, page).map(report -> ReportV2.from(report, null)), page);
    }

    @Operation(
            summary = "Get a report",
            description = "How its generation stands and, once completed, its result: the columns and the first "
                    + ResultV2.FIRST_ROWS + " rows (GET /v2/reports/{id}/rows pages through them all). The ETag "
                    + "changes with its status.")
    @ApiResponse(responseCode = "200", description = "The report.")
    @ApiResponse(responseCode = "304", description = "Not modified.", content = @Content)
    @ApiResponse(responseCode = "404", description = "No such report (or it was purged).")
    @RequiresScope(Scope.REPORTS_READ)
    @GetMapping("/{id}")
    ResponseEntity<ReportV2> get(@AuthenticationPrincipal Caller caller, @PathVariable String id, WebRequest request) {
        Report report = reports.get(caller, id);
        Instant changed = report.updatedAt();
        return ETags.ok(
                request,
                "v2",
                changed.getEpochSecond() * 1_000_000 + changed.getNano() / 1_000,
                () -> ReportV2.from(report, result(report)));
    }

    private ResultV2 result(Report report) {
        if (!report.isCompleted()) {
            return null;
        }
        Page<Map<String, Object>> rows = reports.rows(report, PageParams.of(ResultV2.FIRST_ROWS, 0));
        List<ColumnV2> columns = report.type().columns().stream()
                .map(column -> new ColumnV2(column.name(), column.type(), column.description()))
                .toList();
        return new ResultV2(columns, rows.items(), rows.total(), "/v2/reports/" + report.id() + "/rows");
    }

    @Operation(
            summary = "List a report's rows",
            description = "A completed report's rows, in order, as objects keyed by its columns' names; none while "
                    + "it has not completed.")
    @ApiResponse(
            responseCode = "200",
            description = "One page of the rows.",
            content =
                    @Content(
                            mediaType = "application/json",
                            array =
                                    @ArraySchema(
                                            schema =
                                                    @Schema(
                                                            type = "object",
                                                            additionalProperties =
                                                                    Schema.AdditionalPropertiesValue.TRUE))))
    @ApiResponse(responseCode = "404", description = "No such report (or it was purged).")
    @RequiresScope(Scope.REPORTS_READ)
    @GetMapping("/{id}/rows")
    ResponseEntity<List<Map<String, Object>>> rows(
            @AuthenticationPrincipal Caller caller, @PathVariable String id, @Valid @ParameterObject PageParams page) {
        return PagedResponses.of(reports.rows(reports.get(caller, id), page), page);
    }

    @Operation(
            summary = "Download a report",
            description = "All of a completed report's rows, as CSV (RFC 4180, a header line of the column names) or "
                    + "as a JSON array of objects; the format is the report's unless format says otherwise.")
    @ApiResponse(
            responseCode = "200",
            description = "The rows, as an attachment.",
            content = {
                @Content(mediaType = "text/csv", schema = @Schema(type = "string")),
                @Content(
                        mediaType = "application/json",
                        array =
                                @ArraySchema(
                                        schema =
                                                @Schema(
                                                        type = "object",
                                                        additionalProperties = Schema.AdditionalPropertiesValue.TRUE)))
            })
    @ApiResponse(responseCode = "404", description = "No such report (or it was purged).")
    @ApiResponse(
            responseCode = "409",
            description = "The report has not completed (REPORT_NOT_READY) or failed (REPORT_FAILED).")
    @RequiresScope(Scope.REPORTS_READ)
    @GetMapping(
            path = "/{id}/download",
            produces = {"text/csv", "application/json"})
    void download(
            @AuthenticationPrincipal Caller caller,
            @PathVariable String id,
            @Parameter(
                            description = "csv or json; the report's own format when absent.",
                            schema = @Schema(allowableValues = {"json", "csv"}))
                    @RequestParam(required = false)
                    @Pattern(regexp = FORMATS, message = "must be one of json, csv")
                    String format,
            HttpServletResponse response)
            throws IOException {
        Report report = reports.downloadable(caller, id);
        String chosen = format == null ? report.format() : format;
        response.setContentType(Report.contentType(chosen));
        response.setHeader(
                HttpHeaders.CONTENT_DISPOSITION,
                ContentDisposition.attachment()
                        .filename(report.fileName(chosen))
                        .build()
                        .toString());
        reports.download(report, chosen, response.getOutputStream());
    }
}
