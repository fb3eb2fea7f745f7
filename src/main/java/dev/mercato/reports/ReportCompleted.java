package dev.mercato.reports;

import java.time.Instant;

/** A report completed: its rows can be read. Published in the transaction that stored them. */
public record ReportCompleted(String reportId, String type, int rowCount, Instant generatedAt) {}
