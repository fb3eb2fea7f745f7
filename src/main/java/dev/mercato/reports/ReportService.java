package dev.mercato.reports;

import dev.mercato.idempotency.IdempotentCreation;
import dev.mercato.jobs.JobPriority;
import dev.mercato.jobs.Jobs;
import dev.mercato.security.Caller;
import dev.mercato.shared.Batches;
import dev.mercato.shared.ConflictException;
import dev.mercato.shared.Ids;
import dev.mercato.shared.InvalidRequestException;
import dev.mercato.shared.NotFoundException;
import dev.mercato.shared.Page;
import dev.mercato.shared.PageParams;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Accepts reports (checks the type and parameters, writes the report and the job that generates it in one
 * transaction) and reads them back. Reports are the shop's: every caller with the reports scopes sees every report.
 */
@Service
public class ReportService {

    private static final Logger log = LoggerFactory.getLogger(ReportService.class);
    private static final int PURGE_BATCH = 100;

    private final ReportRepository repository;
    private final Jobs jobs;
    private final IdempotentCreation creation;
    private final Clock clock;
    private final ReportsProperties properties;
    private final JsonMapper json;

    ReportService(
            ReportRepository repository,
            Jobs jobs,
            IdempotentCreation creation,
            Clock clock,
            ReportsProperties properties,
            JsonMapper json) {
        this.json = json;
        this.repository = repository;
        this.jobs = jobs;
        this.creation = creation;
        this.clock = clock;
        this.properties = properties;
    }

    public List<ReportType> types() {
        return List.of(ReportType.values());
    }

    @Transactional
    public Report generate(Caller caller, NewReport request) {
        ReportType type = ReportType.of(request.type())
                .orElseThrow(() -> InvalidRequestException.field(
                        "type",
                        "Unknown report type '" + request.type() + "'; the types are "
                                + String.join(", ", ReportType.wireNames()) + "."));
        Map<String, Object> parameters = ReportParameters.validate(type, request.parameters());
        String format = request.format() == null ? Report.JSON : request.format();
        return creation.once(() -> queue(caller, type, parameters, format), Report::id, id -> get(caller, id));
    }

    private Report queue(Caller caller, ReportType type, Map<String, Object> parameters, String format) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Report report = new Report(
                Ids.generate("rpt"),
                type,
                parameters,
                format,
                Report.PENDING,
                null,
                null,
                caller.credentialId(),
                now,
                null,
                null,
                null,
                now,
                now.plus(properties.retention()));
        repository.insert(report);
        jobs.enqueue(ReportJobs.GENERATION, report.id(), JobPriority.NORMAL);
        return report;
    }

    public Report get(Caller caller, String id) {
        return repository.findById(id).orElseThrow(() -> new NotFoundException("report", id));
    }

    /** Past reports, newest first. */
    public Page<Report> list(Caller caller, String type, String status, PageParams page) {
        return repository.find(type, status, page);
    }

    /** One page of a completed report's rows (none for one that has not completed). */
    public Page<Map<String, Object>> rows(Report report, PageParams page) {
        if (!report.isCompleted()) {
            return new Page<>(List.of(), 0);
        }
        List<Map<String, Object>> rows = repository.rows(report.id(), page).stream()
                .map(row -> ReportRows.present(report.type(), row))
                .toList();
        return new Page<>(rows, report.rowCount());
    }

    /** A report whose rows can be downloaded: 409 for one that has not completed, or failed. */
    public Report downloadable(Caller caller, String id) {
        Report report = get(caller, id);
        if (Report.FAILED.equals(report.status())) {
            throw new ConflictException(
                    "REPORT_FAILED", "Report '" + id + "' failed and has nothing to download: " + report.error(), id);
        }
        if (!report.isCompleted()) {
            throw new ConflictException(
                    "REPORT_NOT_READY",
                    "Report '" + id + "' is " + report.status() + "; it can be downloaded once completed.",
                    id);
        }
        return report;
    }

    /**
     * Writes every row of a completed report to {@code out} as {@code format} ({@link Report#CSV} or JSON), in
     * order, read a batch at a time as they are written.
     */
    @Transactional(readOnly = true)
    public void download(Report report, String format, OutputStream out) {
        try (ReportWriter writer =
                Report.CSV.equals(format) ? ReportWriter.csv(out, report.type()) : ReportWriter.json(out, json)) {
            repository.eachRow(report.id(), stored -> writer.write(ReportRows.present(report.type(), stored)));
        }
    }

    @Scheduled(
            initialDelayString = ReportsProperties.PURGE_INTERVAL,
            fixedDelayString = ReportsProperties.PURGE_INTERVAL)
    int purge() {
        Instant cutoff = clock.instant().minus(properties.retention());
        int total = Batches.untilDone(PURGE_BATCH, () -> repository.deleteOlderThan(cutoff, PURGE_BATCH));
        if (total > 0) {
            log.info("Purged {} reports created before {}", total, cutoff);
        }
        return total;
    }
}
