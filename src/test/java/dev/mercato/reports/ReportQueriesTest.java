package dev.mercato.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.core.io.ClassPathResource;

/**
 * The report queries read other features' data only through the reporting views those features publish
 * ({@code report_*}, V21__reports.sql), never their tables, and bind every value as a typed parameter.
 */
class ReportQueriesTest {

    private static final Pattern READ = Pattern.compile("\\b(?:from|join)\\s+([a-z_][a-z0-9_]*)");
    private static final Pattern COMMON_TABLE = Pattern.compile("\\b([a-z_][a-z0-9_]*)\\s+as\\s+\\(");
    private static final Pattern PARAMETER = Pattern.compile("(?<![:\\w]):([a-z_]+)");
    private static final Pattern TYPED_PARAMETER = Pattern.compile("cast\\(:([a-z_]+) as [a-z]+\\)");

    @ParameterizedTest
    @EnumSource(ReportType.class)
    void readsOnlyReportingViews(ReportType type) throws Exception {
        String sql = sql(type);
        Set<String> commonTables = names(COMMON_TABLE, sql);
        Set<String> read = names(READ, sql);

        assertThat(read).isNotEmpty();
        read.removeAll(commonTables);
        assertThat(read).allSatisfy(relation -> assertThat(relation).startsWith("report_"));
    }

    @ParameterizedTest
    @EnumSource(ReportType.class)
    void castsEveryParameterToItsType(ReportType type) throws Exception {
        String sql = sql(type);
        assertThat(PARAMETER.matcher(sql).results().count())
                .as("every :parameter is written cast(:parameter as type), so PostgreSQL never guesses its type")
                .isEqualTo(TYPED_PARAMETER.matcher(sql).results().count());
    }

    private static Set<String> names(Pattern pattern, String sql) {
        Set<String> names = new HashSet<>();
        Matcher matcher = pattern.matcher(sql);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    private static String sql(ReportType type) throws Exception {
        String text =
                new ClassPathResource(type.sqlResource(), ReportType.class).getContentAsString(StandardCharsets.UTF_8);
        return text.replaceAll("--[^\n]*", "").toLowerCase();
    }
}
