package dev.mercato.reports;

/** A report failed for good (its error says why). Published in the transaction that recorded it. */
public record ReportFailed(String reportId, String type, String error) {}
