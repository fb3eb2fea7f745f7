package dev.mercato.dashboard;

import dev.mercato.reports.NewReport;
import dev.mercato.reports.Report;
import dev.mercato.reports.ReportColumn;
import dev.mercato.reports.ReportParameter;
import dev.mercato.reports.ReportService;
import dev.mercato.reports.ReportType;
import dev.mercato.security.Caller;
import dev.mercato.security.Scope;
import dev.mercato.shared.DomainException;
import dev.mercato.shared.NotFoundException;
import dev.mercato.shared.Page;
import dev.mercato.shared.PageParams;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import tools.jackson.databind.json.JsonMapper;

/**
 * The reports pages: the runs so far, a form per type built from the type's parameters, and a report's page that
 * follows its generation and then shows its rows as a table and a chart, with CSV and JSON downloads. Reading needs
 * {@code reports:read}, generating {@code reports:write}, as in the API; reports are the shop's, not a developer's.
 */
@Hidden
@Controller
@DashboardPage
@RequestMapping("/dashboard/reports")
class ReportsController {

    static final int PAGE_SIZE = 25;
    private static final Set<String> FORMATS = Set.of(Report.CSV, Report.JSON);
    private static final Set<String> CHARTED = Set.of(ReportColumn.MONEY, ReportColumn.INTEGER, ReportColumn.DECIMAL);

    private final ReportService reports;
    private final JsonMapper json;

    ReportsController(ReportService reports, JsonMapper json) {
        this.reports = reports;
        this.json = json;
    }

    @GetMapping
    String list(
            @AuthenticationPrincipal Caller caller,
            @RequestParam(required = false) String type,
            @RequestParam(required = false) String status,
            @RequestParam(defaultValue = "1") String page,
            Model model) {
        DashboardPages.require(caller, Scope.REPORTS_READ);
        int number = FormFields.pageNumber(page);
        String chosenType = type == null || type.isBlank() ? null : type;
        String chosenStatus = status == null || status.isBlank() ? null : status;
        Page<Report> runs = reports.list(caller, chosenType, chosenStatus, pageOf(number));
        model.addAttribute("types", reports.types());
        model.addAttribute("statuses", List.of(Report.PENDING, Report.RUNNING, Report.COMPLETED, Report.FAILED));
        model.addAttribute("type", chosenType);
        model.addAttribute("status", chosenStatus);
        model.addAttribute("runs", runs.items());
        model.addAttribute("paging", Paging.of(number, PAGE_SIZE, runs.total()));
        model.addAttribute("mayGenerate", caller.has(Scope.REPORTS_WRITE));
        return "dashboard/reports";
    }

    @GetMapping("/new")
    String form(@AuthenticationPrincipal Caller caller, @RequestParam String type, Model model) {
        DashboardPages.require(caller, Scope.REPORTS_WRITE);
        return form(typeNamed(type), Map.of(), null, model);
    }

    @PostMapping
    String generate(
            @AuthenticationPrincipal Caller caller,
            @RequestParam Map<String, String> fields,
            Model model,
            HttpServletResponse response) {
        DashboardPages.require(caller, Scope.REPORTS_WRITE);
        ReportType type = typeNamed(fields.getOrDefault("type", ""));
        try {
            Report report = reports.generate(caller, new NewReport(type.wireName(), parameters(type, fields), null));
            return "redirect:/dashboard/reports/" + report.id();
        } catch (DomainException problem) {
            response.setStatus(DashboardPages.statusOf(problem).value());
            return form(type, fields, problem.getMessage(), model);
        }
    }

    @GetMapping("/{id}")
    String report(
            @AuthenticationPrincipal Caller caller,
            @PathVariable String id,
            @RequestParam(defaultValue = "1") String page,
            Model model) {
        DashboardPages.require(caller, Scope.REPORTS_READ);
        int number = FormFields.pageNumber(page);
        Report report = reports.get(caller, id);
        Page<Map<String, Object>> rows = reports.rows(report, pageOf(number));
        model.addAttribute("report", report);
        model.addAttribute("rows", rows.items());
        model.addAttribute("paging", Paging.of(number, PAGE_SIZE, rows.total()));
        Optional<Chart> chart = chart(report.type(), rows.items());
        model.addAttribute("chart", chart.orElse(null));
        model.addAttribute("chartJson", chart.map(json::writeValueAsString).orElse(null));
        return "dashboard/report";
    }

    /** What the report's page polls while the report is being generated. */
    @GetMapping(path = "/{id}/status", produces = "application/json")
    @ResponseBody
    Map<String, String> status(@AuthenticationPrincipal Caller caller, @PathVariable String id) {
        DashboardPages.require(caller, Scope.REPORTS_READ);
        return Map.of("status", reports.get(caller, id).status());
    }

    @GetMapping("/{id}/download")
    void download(
            @AuthenticationPrincipal Caller caller,
            @PathVariable String id,
            @RequestParam(defaultValue = Report.CSV) String format,
            HttpServletResponse response)
            throws IOException {
        DashboardPages.require(caller, Scope.REPORTS_READ);
        if (!FORMATS.contains(format)) {
            throw FormFields.invalid("format", "The format is csv or json.");
        }
        Report report = reports.downloadable(caller, id);
        response.setContentType(Report.contentType(format));
        response.setHeader(
                HttpHeaders.CONTENT_DISPOSITION,
                ContentDisposition.attachment()
                        .filename(report.fileName(format))
                        .build()
                        .toString());
        reports.download(report, format, response.getOutputStream());
    }

    private String form(ReportType type, Map<String, String> values, String problem, Model model) {
        model.addAttribute("reportType", type);
        model.addAttribute("values", values);
        model.addAttribute("problem", problem);
        return "dashboard/report-form";
    }

    private ReportType typeNamed(String name) {
        return reports.types().stream()
                .filter(type -> type.wireName().equals(name))
                .findFirst()
                .orElseThrow(() -> new NotFoundException("report type", name));
    }

    /** The form's fields as the type's parameters: empty ones left out (their defaults apply), integers as numbers. */
    private static Map<String, Object> parameters(ReportType type, Map<String, String> fields) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        for (ReportParameter parameter : type.parameters()) {
            String value = fields.getOrDefault(parameter.name(), "").trim();
            if (value.isEmpty()) {
                continue;
            }
            parameters.put(
                    parameter.name(),
                    parameter.kind() == ReportParameter.Kind.INTEGER && value.matches("-?\\d{1,9}")
                            ? Integer.valueOf(value)
                            : value);
        }
        return parameters;
    }

    private static PageParams pageOf(int number) {
        return PageParams.of(PAGE_SIZE, (number - 1) * PAGE_SIZE);
    }

    /**
     * The chart of a page of rows: the first numeric column (an amount, a count) over the first column that is not
     * an id (a product's name rather than its id), or none for a type without a numeric column.
     */
    static Optional<Chart> chart(ReportType type, List<Map<String, Object>> rows) {
        List<ReportColumn> columns = type.columns();
        Optional<ReportColumn> measure = columns.stream()
                .filter(column -> CHARTED.contains(column.type()))
                .findFirst();
        if (measure.isEmpty() || rows.isEmpty()) {
            return Optional.empty();
        }
        String label = columns.stream()
                .map(ReportColumn::name)
                .filter(name -> !name.endsWith("_id"))
                .findFirst()
                .orElse(columns.get(0).name());
        List<String> labels = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            labels.add(String.valueOf(row.get(label))
                    + (row.containsKey(ReportColumn.CURRENCY) && !label.equals(ReportColumn.CURRENCY)
                            ? " " + row.get(ReportColumn.CURRENCY)
                            : ""));
            values.add(row.get(measure.get().name()));
        }
        return Optional.of(new Chart(measure.get().name(), label, labels, values));
    }

    /** A bar chart's data, as the page's script reads it. */
    record Chart(String measure, String over, List<String> labels, List<Object> values) {}
}
