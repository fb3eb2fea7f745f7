package dev.mercato.reports;

import dev.mercato.jobs.PermanentJobFailure;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Generates a report, as the job engine's {@code report-generation} job for its id. One run marks it running (so
 * that it shows), then computes it in a transaction that locks the report, runs its SQL statement into its rows and
 * completes it: a run that dies stores nothing, and of two runs only the first to lock stores anything. The
 * statement runs under a timeout and without parallel workers, so a report leaves a core to the API.
 */
@Component
class ReportGeneration {

    private final ReportRepository repository;
    private final TransactionTemplate transactions;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final ReportsProperties properties;

    ReportGeneration(
            ReportRepository repository,
            TransactionTemplate transactions,
            ApplicationEventPublisher events,
            Clock clock,
            ReportsProperties properties) {
        this.repository = repository;
        this.transactions = transactions;
        this.events = events;
        this.clock = clock;
        this.properties = properties;
    }

    void generate(String id) {
        Optional<Report> started = transactions.execute(status -> repository.start(id, now()));
        if (started.isEmpty()) {
            return; // completed or failed by an earlier run, or purged
        }
        Report report = started.get();
        try {
            transactions.executeWithoutResult(status -> compute(report));
        } catch (QueryTimeoutException e) {
            throw new PermanentJobFailure("The report took longer than "
                    + properties.statementTimeout().toSeconds() + " s to compute and was stopped; "
                    + "generate it again over a shorter range.");
        }
    }

    private void compute(Report report) {
        if (!repository.lockRunning(report.id())) {
            return;
        }
        repository.setLocal(
                "statement_timeout", Long.toString(properties.statementTimeout().toMillis()));
        repository.setLocal("max_parallel_workers_per_gather", "0");
        // Planned for this report's own parameters: a day or a year, one currency or all, change the best plan, and a
        // generic plan cached after a few runs was twice as slow on a year (docs/performance.md, Generic plans).
        repository.setLocal("plan_cache_mode", "force_custom_plan");
        Instant generatedAt = now();
        int rows =
                repository.insertRows(report, ReportParameters.bind(report.type(), report.parameters(), generatedAt));
        repository.complete(report.id(), rows, generatedAt, now());
        events.publishEvent(new ReportCompleted(report.id(), report.type().wireName(), rows, generatedAt));
    }

    /** Records the final failure, once no run is left (or the failure is one another run cannot fix). */
    void giveUp(String id, Throwable cause) {
        String error = cause instanceof PermanentJobFailure permanent
                ? permanent.getMessage()
                : "The report could not be generated in " + properties.maxAttempts()
                        + " attempts (the database did not answer); generate it again.";
        transactions.executeWithoutResult(status -> {
            if (repository.fail(id, error, now())) {
                repository
                        .findById(id)
                        .ifPresent(report -> events.publishEvent(
                                new ReportFailed(id, report.type().wireName(), error)));
            }
        });
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
