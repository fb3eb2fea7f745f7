package dev.mercato.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mercato.logs.LogQuery;
import dev.mercato.logs.StatusRange;
import dev.mercato.shared.InvalidRequestException;
import dev.mercato.shared.PageParams;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UsageFiltersTest {

    private static UsageFilters filters(String from, String to, String level, String status, String path) {
        return new UsageFilters(from, to, level, status, path, null, null);
    }

    private static UsageFilters credential(String credential) {
        return new UsageFilters(null, null, null, null, null, credential, null);
    }

    private static UsageFilters page(String page) {
        return new UsageFilters(null, null, null, null, null, null, page);
    }

    @Test
    void noFiltersIsTheWholeLogOfWhatTheCallerMaySee() {
        assertThat(filters(null, "", " ", null, "").query(null))
                .isEqualTo(new LogQuery(null, null, null, null, null, null));
        assertThat(filters(null, null, null, null, null).query(Set.of("key_1")).credentialIds())
                .containsExactly("key_1");
    }

    @Test
    void everyFilterAsTheFormSendsIt() {
        LogQuery query = filters("2026-12-04T10:30:15", "2026-12-04T11:00:00", "warn", "4xx", " /v2/orders ")
                .query(null);

        assertThat(query)
                .isEqualTo(new LogQuery(
                        Instant.parse("2026-12-04T10:30:15Z"),
                        Instant.parse("2026-12-04T11:00:00Z"),
                        "warn",
                        new StatusRange(400, 499),
                        "/v2/orders",
                        null));
    }

    @Test
    void timesToTheMinuteStartAndEndWithTheirMinute() {
        LogQuery query = filters("2026-12-04T10:30", "2026-12-04T10:45", null, null, null)
                .query(null);

        assertThat(query.from()).isEqualTo("2026-12-04T10:30:00Z");
        assertThat(query.to()).isEqualTo("2026-12-04T10:45:59.999999Z");
    }

    @Test
    void aCredentialTheCallerMaySeeIsKeptAndAnyOtherKeepsNothing() {
        Set<String> mine = Set.of("key_mine", "cli_mine");

        assertThat(credential("cli_mine").query(mine).credentialIds()).containsExactly("cli_mine");
        assertThat(credential("key_theirs").query(mine).credentialIds()).isEmpty();
        // The admin (no confinement) may name any credential.
        assertThat(credential("key_theirs").query(null).credentialIds()).containsExactly("key_theirs");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "yesterday | | | | from | The 'from' time must be a date and time (UTC) such as 2026-12-04T10:30.",
                "| 2026-13-45T10:00 | | | to | The 'to' time must be a date and time",
                "2026-12-04 | | | | from | The 'from' time must be a date and time",
                "2026-12-04T10:00Z | | | | from | The 'from' time must be a date and time",
                "2026-12-05T00:00 | 2026-12-04T23:59 | | | from | The 'from' time must not be after the 'to' time.",
                "| | debug | | level | The level must be one of info, warn, error.",
                "| | INFO | | level | The level must be one of info, warn, error.",
                "| | | abc | status | The 'status' filter must be a status code such as 404 or a class such as 4xx."
            })
    void badFiltersAreRefusedSayingWhich(
            String from, String to, String level, String status, String field, String message) {
        assertThatThrownBy(() -> filters(from, to, level, status, null).query(null))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith(message)
                .satisfies(
                        e -> assertThat(((InvalidRequestException) e).details()).contains(field));
    }

    @Test
    void aPathLongerThanTheLimitIsRefused() {
        assertThatThrownBy(() -> filters(null, null, null, null, "/".repeat(UsageFilters.MAX_PATH + 1))
                        .query(null))
                .hasMessage("The path filter must be at most 200 characters.");
        assertThat(filters(null, null, null, null, "/".repeat(UsageFilters.MAX_PATH))
                        .query(null)
                        .path())
                .hasSize(UsageFilters.MAX_PATH);
    }

    @Test
    void pagesCountFromOne() {
        assertThat(page(null).pageParams()).isEqualTo(PageParams.of(UsageFilters.PAGE_SIZE, 0));
        assertThat(page("3").pageParams()).isEqualTo(PageParams.of(UsageFilters.PAGE_SIZE, 2 * UsageFilters.PAGE_SIZE));
        assertThat(page(String.valueOf(UsageFilters.MAX_PAGE)).pageNumber()).isEqualTo(UsageFilters.MAX_PAGE);
    }

    @ParameterizedTest
    @CsvSource({"0", "-1", "abc", "1.5", "10001", "99999999999"})
    void aPageThatIsNotOneIsRefused(String page) {
        assertThatThrownBy(() -> page(page).pageNumber())
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("The page must be a whole number from 1 to 10000.");
    }

    @Test
    void pagingLinksKeepTheFiltersEncodedAsTheFormWould() {
        UsageFilters filters = new UsageFilters("2026-12-04T10:30", "", "warn", "4xx", "/v2/a b+c&d", "key_1", "2");

        UsageFilters.Paging paging = filters.paging(120);

        assertThat(paging.number()).isEqualTo(2);
        assertThat(paging.pages()).isEqualTo(3);
        assertThat(paging.previous())
                .isEqualTo("/dashboard/usage?from=2026-12-04T10%3A30&level=warn&status=4xx&path=%2Fv2%2Fa+b%2Bc%26d"
                        + "&credential=key_1");
        assertThat(paging.next()).endsWith("&credential=key_1&page=3");
        assertThat(filters.paging(100).next()).isNull();
        assertThat(page(null).paging(0)).isEqualTo(new UsageFilters.Paging(1, 1, 0, null, null));
        // Beyond the end, back leads to the last page.
        assertThat(page("9").paging(120).previous()).isEqualTo("/dashboard/usage?page=3");
    }
}
