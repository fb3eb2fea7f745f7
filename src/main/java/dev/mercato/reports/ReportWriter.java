package dev.mercato.reports;

import java.io.OutputStream;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.SequenceWriter;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.csv.CsvMapper;
import tools.jackson.dataformat.csv.CsvSchema;

/** Writes a report's rows to a download as they are read: CSV (RFC 4180) or a JSON array of objects. */
public final class ReportWriter implements AutoCloseable {

    private static final CsvMapper CSV = CsvMapper.builder().build();

    /**
     * What a spreadsheet takes for the start of a formula: a text cell starting with one of these gets a leading
     * apostrophe in CSV, so that a product named {@code =HYPERLINK(...)} stays text (OWASP's advice on CSV injection).
     */
    private static final String FORMULA_STARTS = "=+-@\t\r";

    private final SequenceWriter writer;
    private final ReportType csvType;

    private ReportWriter(SequenceWriter writer, ReportType csvType) {
        this.writer = writer;
        this.csvType = csvType;
    }

    /** CSV with a header line of the type's column names, lines ended by CRLF, fields quoted where needed. */
    public static ReportWriter csv(OutputStream out, ReportType type) {
        CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true).setLineSeparator("\r\n");
        type.columns().forEach(column -> schema.addColumn(column.name()));
        return new ReportWriter(CSV.writer(schema.build()).writeValues(out), type);
    }

    /** A JSON array of the rows, written as the API writes every response. */
    public static ReportWriter json(OutputStream out, JsonMapper json) {
        return new ReportWriter(json.writer().writeValuesAsArray(out), null);
    }

    public void write(Map<String, Object> row) {
        writer.write(csvType == null ? row : csvRow(row));
    }

    /** Numbers as written in JSON (never in exponent form), text cells safe to open in a spreadsheet. */
    private Map<String, Object> csvRow(Map<String, Object> row) {
        Map<String, Object> cells = new LinkedHashMap<>();
        for (ReportColumn column : csvType.columns()) {
            Object value = row.get(column.name());
            if (value instanceof BigDecimal decimal) {
                value = decimal.toPlainString();
            } else if (value instanceof String text
                    && ReportColumn.STRING.equals(column.type())
                    && !text.isEmpty()
                    && FORMULA_STARTS.indexOf(text.charAt(0)) >= 0) {
                value = "'" + text;
            }
            cells.put(column.name(), value);
        }
        return cells;
    }

    @Override
    public void close() {
        writer.close();
    }
}
