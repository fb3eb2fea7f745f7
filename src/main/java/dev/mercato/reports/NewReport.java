package dev.mercato.reports;

import java.util.Map;

/** A report to generate: its type's name, its parameters as given (checked by the service), its download format. */
public record NewReport(String type, Map<String, Object> parameters, String format) {}
