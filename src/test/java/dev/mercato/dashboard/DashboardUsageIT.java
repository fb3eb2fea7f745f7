package dev.mercato.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mercato.support.ApiTestSupport;
import dev.mercato.support.DashboardSession;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/**
 * The usage page: the access log as a filtered, paged table and the traffic charts' figures. A developer sees the
 * requests of their own API keys and OAuth clients only, the admin everybody's; every filter narrows the table; a bad
 * filter gets a message on the page and a 400. The tests share two developers and their requests, made once (one
 * test instance); none of them adds to those.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardUsageIT extends ApiTestSupport {

    private static final String PASSWORD = "Amber-Meadow-42-Falcon";
    private static final DateTimeFormatter FORM_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

    /** The first developer, with two keys and an OAuth client of their own, and the requests made with them. */
    private String aliceName;

    private Credential aliceKey;
    private Credential aliceAdminKey;
    private Credential aliceClient;
    private final List<String> aliceOk = new ArrayList<>();
    private final List<String> aliceNotFound = new ArrayList<>();
    private String aliceForbidden;
    private String aliceFailure;
    private String aliceByClient;

    /** Another developer with a key and one request made with it. */
    private String bobName;

    private Credential bobKey;
    private String bobOk;

    private Instant started;

    private record Credential(String id, String name, String secret) {}

    @BeforeEach
    void twoDevelopersUseTheApi() {
        if (started != null) {
            return;
        }
        started = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(1);
        String unique = UUID.randomUUID().toString().substring(0, 8);
        aliceName = "usage-alice-" + unique;
        bobName = "usage-bob-" + unique;
        String alice = aDeveloper(aliceName, PASSWORD, "products:read");
        String bob = aDeveloper(bobName, PASSWORD, "products:read");
        aliceKey = apiKey(alice, "alice key " + unique, "products:read");
        // A key of hers that may reach the test-only failing operation, for a 5xx of her own.
        aliceAdminKey = apiKey(alice, "alice admin key " + unique, "admin");
        aliceClient = oauthClient(aliceName, "alice app " + unique);
        bobKey = apiKey(bob, "bob key " + unique, "products:read");

        for (int i = 0; i < 3; i++) {
            aliceOk.add(call("/v2/products?limit=1", aliceKey.secret(), 200));
        }
        for (int i = 0; i < 2; i++) {
            aliceNotFound.add(call("/v2/usage-nowhere-" + unique, aliceKey.secret(), 404));
        }
        aliceForbidden = call("/v2/users?limit=1", aliceKey.secret(), 403);
        aliceFailure = call("/v2/test-only/failure", aliceAdminKey.secret(), 500);
        aliceByClient = call("/v2/products?limit=1", token(aliceClient), 200);
        bobOk = call("/v2/products?limit=1", bobKey.secret(), 200);
        // The log is written in the background: wait until the admin sees the last request.
        DashboardSession admin = signedIn("admin", ADMIN_PASSWORD);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(requestIds(page(admin, "credential=" + bobKey.id())))
                        .contains(bobOk));
    }

    @Test
    void aDevelopersRequestsShowInTheirTableAndTheAdminsButNotInAnotherDevelopers() {
        DashboardSession alice = signedIn(aliceName, PASSWORD);
        DashboardSession bob = signedIn(bobName, PASSWORD);
        DashboardSession admin = signedIn("admin", ADMIN_PASSWORD);

        String alicePage = page(alice, "");
        assertThat(requestIds(alicePage))
                .containsAll(aliceOk)
                .containsAll(aliceNotFound)
                .contains(aliceForbidden, aliceFailure, aliceByClient)
                .doesNotContain(bobOk)
                .hasSize(8);
        assertThat(alicePage)
                .contains(aliceKey.name(), aliceClient.name())
                .doesNotContain(bobKey.name())
                .doesNotContain(bobKey.id());
        assertThat(requestIds(page(bob, ""))).containsExactly(bobOk);

        String since = "from=" + formTime(started) + "&path=/v2/";
        assertThat(requestIds(page(admin, since))).containsAll(aliceOk).contains(aliceFailure, aliceByClient, bobOk);
        assertThat(page(admin, "credential=" + bobKey.id())).contains(bobKey.name());
    }

    @Test
    void aDeveloperFilteringByAnothersCredentialSeesNothingOfIt() {
        DashboardSession alice = signedIn(aliceName, PASSWORD);

        HttpResponse<String> response = alice.get("/dashboard/usage?credential=" + bobKey.id());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(requestIds(response.body())).isEmpty();
        assertThat(response.body()).contains("No requests match these filters.").doesNotContain(bobKey.name());
        assertThat(totals(response.body(), "day")).isEqualTo(new Totals(0, 0, 0, 0));
        assertThat(totals(response.body(), "week")).isEqualTo(new Totals(0, 0, 0, 0));
        // The same answer as for an id nobody has.
        assertThat(requestIds(page(alice, "credential=key_no_such_key"))).isEmpty();
    }

    @Test
    void eachFilterNarrowsTheTable() {
        DashboardSession alice = signedIn(aliceName, PASSWORD);
        List<String> all = requestIds(page(alice, ""));

        assertThat(requestIds(page(alice, "credential=" + aliceKey.id())))
                .containsExactlyInAnyOrderElementsOf(concat(aliceOk, aliceNotFound, List.of(aliceForbidden)));
        assertThat(requestIds(page(alice, "credential=" + aliceClient.id()))).containsExactly(aliceByClient);
        assertThat(requestIds(page(alice, "level=warn")))
                .containsExactlyInAnyOrderElementsOf(concat(aliceNotFound, List.of(aliceForbidden)));
        assertThat(requestIds(page(alice, "level=error"))).containsExactly(aliceFailure);
        assertThat(requestIds(page(alice, "status=404"))).containsExactlyInAnyOrderElementsOf(aliceNotFound);
        assertThat(requestIds(page(alice, "status=4xx")))
                .containsExactlyInAnyOrderElementsOf(concat(aliceNotFound, List.of(aliceForbidden)));
        assertThat(requestIds(page(alice, "status=5XX"))).containsExactly(aliceFailure);
        assertThat(requestIds(page(alice, "path=usage-nowhere"))).containsExactlyInAnyOrderElementsOf(aliceNotFound);
        assertThat(requestIds(page(alice, "path=/v2/products&status=2xx")))
                .containsExactlyInAnyOrderElementsOf(concat(aliceOk, List.of(aliceByClient)));
        Instant now = Instant.now();
        assertThat(requestIds(page(alice, "from=" + formTime(started) + "&to=" + formTime(now.plusSeconds(60)))))
                .containsExactlyInAnyOrderElementsOf(all);
        assertThat(requestIds(page(alice, "from=" + formTime(now.plusSeconds(60)))))
                .isEmpty();
        assertThat(requestIds(page(alice, "to=" + formTime(started.minusSeconds(1)))))
                .isEmpty();
        // A time to the minute, as a browser sends it, takes the whole minute.
        String minute = FORM_TIME.format(started.atOffset(ZoneOffset.UTC)).substring(0, 16);
        assertThat(requestIds(page(alice, "from=" + minute))).containsExactlyInAnyOrderElementsOf(all);
    }

    @Test
    void pagesGoForwardAndBackWithTheFiltersKept() {
        String carolName = "usage-carol-" + UUID.randomUUID().toString().substring(0, 8);
        Credential carolKey = apiKey(aDeveloper(carolName, PASSWORD, "products:read"), "carol key", "products:read");
        int total = UsageFilters.PAGE_SIZE + 5;
        for (int i = 0; i < total - 1; i++) {
            call("/v2/products?limit=1", carolKey.secret(), 200);
        }
        call("/v2/users?limit=1", carolKey.secret(), 403);
        DashboardSession carol = signedIn(carolName, PASSWORD);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(page(carol, "")).contains("Page 1 of 2 (" + total + " requests)"));

        String first = page(carol, "status=2xx");
        assertThat(requestIds(first)).hasSize(UsageFilters.PAGE_SIZE);
        assertThat(first)
                .doesNotContain("id=\"usage-previous\"")
                .contains("Page 1 of 2 (" + (total - 1) + " requests)");
        assertThat(link(first, "usage-next")).isEqualTo("/dashboard/usage?status=2xx&page=2");

        String second = page(carol, "status=2xx&page=2");
        assertThat(requestIds(second))
                .hasSize(total - 1 - UsageFilters.PAGE_SIZE)
                .doesNotContainAnyElementsOf(requestIds(first));
        assertThat(second).doesNotContain("id=\"usage-next\"");
        assertThat(link(second, "usage-previous")).isEqualTo("/dashboard/usage?status=2xx");
        assertThat(requestIds(page(carol, "status=2xx&page=3"))).isEmpty();
        assertThat(requestIds(page(carol, "status=4xx"))).hasSize(1);
    }

    @Test
    void theChartsFiguresCountEachStatusClass() {
        DashboardSession alice = signedIn(aliceName, PASSWORD);
        DashboardSession admin = signedIn("admin", ADMIN_PASSWORD);
        Totals hers = new Totals(4, 0, 3, 1);

        String page = page(alice, "");
        assertThat(totals(page, "day")).isEqualTo(hers);
        assertThat(totals(page, "week")).isEqualTo(hers);
        assertThat(rows(page, "usage-day-table")).hasSize(24);
        assertThat(rows(page, "usage-week-table")).hasSize(168);
        assertThat(page)
                .contains("id=\"usage-day-requests\"", "id=\"usage-day-latency\"")
                .contains("id=\"usage-week-requests\"", "id=\"usage-week-latency\"")
                .contains("/dashboard/assets/vendor/chart.umd.js", "/dashboard/assets/usage.js");
        // The charts follow the credential filter, for the admin as for her.
        assertThat(totals(page(alice, "credential=" + aliceKey.id()), "day")).isEqualTo(new Totals(3, 0, 3, 0));
        assertThat(totals(page(admin, "credential=" + aliceKey.id()), "week")).isEqualTo(new Totals(3, 0, 3, 0));
        assertThat(totals(page(admin, "credential=" + aliceAdminKey.id()), "day"))
                .isEqualTo(new Totals(0, 0, 0, 1));
        assertThat(totals(page(signedIn(bobName, PASSWORD), ""), "day")).isEqualTo(new Totals(1, 0, 0, 0));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            value = {
                "from=yesterday | 'from' time must be a date and time",
                "to=2026-13-45T10:00 | 'to' time must be a date and time",
                "from=2026-12-05T00:00&to=2026-12-04T00:00 | must not be after",
                "status=abc | must be a status code such as 404 or a class such as 4xx",
                "status=600 | must be a status code",
                "level=debug | The level must be one of info, warn, error",
                "page=-1 | The page must be a whole number from 1 to 10000",
                "page=abc | The page must be a whole number",
                "page=0 | The page must be a whole number"
            })
    void badFiltersGetAMessageOnThePageAnd400(String query, String message) {
        DashboardSession alice = signedIn(aliceName, PASSWORD);

        HttpResponse<String> response = alice.get("/dashboard/usage?" + query);

        assertThat(response.statusCode()).isEqualTo(400);
        String problem = match(response.body(), "<p class=\"error\" role=\"alert\" id=\"usage-problem\">([^<]*)</p>");
        assertThat(problem.replace("&#39;", "'")).contains(message);
        assertThat(response.body()).contains("id=\"usage-filters\"").doesNotContain("id=\"usage-requests\"");
    }

    @Test
    void aPathFilterIsTakenAsWrittenNotAsAPattern() {
        DashboardSession alice = signedIn(aliceName, PASSWORD);

        assertThat(requestIds(page(alice, "path=" + encode("/v2/%")))).isEmpty();
        assertThat(requestIds(page(alice, "path=" + encode("/v2/products?")))).isEmpty();
        assertThat(page(alice, "path=" + encode("<script>x</script>"))).doesNotContain("<script>x</script>");
    }

    // ---- helpers ----

    private DashboardSession signedIn(String username, String password) {
        return dashboard().signedIn(username, password);
    }

    /** The usage page with this query string; fails unless it answered 200. */
    private static String page(DashboardSession session, String query) {
        HttpResponse<String> response = session.get("/dashboard/usage" + (query.isEmpty() ? "" : "?" + query));
        assertThat(response.statusCode()).as("GET /dashboard/usage?" + query).isEqualTo(200);
        return response.body();
    }

    /** Makes a request with this credential and returns its request id. */
    private String call(String path, String credential, int status) {
        String requestId = "usage-" + UUID.randomUUID();
        var call = api.get(path).as(credential).header("X-Request-Id", requestId);
        if (status == 404) {
            call.unknownRoute();
        }
        call.send().expect(status);
        return requestId;
    }

    private Credential apiKey(String userId, String name, String scope) {
        JsonNode key = api.post("/v2/api-keys", """
                {"name": "%s", "scopes": ["%s"], "user_id": "%s"}""".formatted(name, scope, userId))
                .asAdmin()
                .send()
                .expect(201)
                .json();
        return new Credential(key.get("id").asString(), name, key.get("key").asString());
    }

    /** An OAuth client the developer registers in the dashboard, which makes it theirs. */
    private Credential oauthClient(String developer, String name) {
        HttpResponse<String> created = signedIn(developer, PASSWORD)
                .submit(
                        "/dashboard/credentials/oauth-clients/new",
                        "/dashboard/credentials/oauth-clients",
                        "name",
                        name,
                        "scopes",
                        "products:read",
                        "grantTypes",
                        "client_credentials");
        assertThat(created.statusCode()).isEqualTo(200);
        return new Credential(
                match(created.body(), "<code id=\"client-id\">([^<]+)</code>"),
                name,
                match(created.body(), "id=\"secret\" readonly value=\"([^\"]+)\""));
    }

    private String token(Credential client) {
        return api.post("/oauth/token", """
                {"grant_type": "client_credentials", "client_id": "%s", "client_secret": "%s"}""".formatted(client.id(), client.secret()))
                .unvalidated()
                .send()
                .expect(200)
                .json()
                .get("access_token")
                .asString();
    }

    private static String formTime(Instant instant) {
        return FORM_TIME.format(instant.atOffset(ZoneOffset.UTC));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @SafeVarargs
    private static List<String> concat(List<String>... lists) {
        List<String> all = new ArrayList<>();
        for (List<String> list : lists) {
            all.addAll(list);
        }
        return all;
    }

    /** The request ids in the page's table of requests. */
    private static List<String> requestIds(String page) {
        List<String> ids = new ArrayList<>();
        for (String row : rows(page, "usage-requests")) {
            ids.add(match(row, "<code>([^<]*)</code>"));
        }
        return ids;
    }

    /** The requests of each status class in a traffic table ("day" or "week"), summed over its rows. */
    private record Totals(long s2xx, long s3xx, long s4xx, long s5xx) {}

    private static Totals totals(String page, String range) {
        long[] sums = new long[5];
        for (String row : rows(page, "usage-" + range + "-table")) {
            Matcher cell = Pattern.compile("<td class=\"number\">([^<]*)</td>").matcher(row);
            for (int column = 0; column < sums.length && cell.find(); column++) {
                sums[column] += Long.parseLong(cell.group(1));
            }
        }
        assertThat(sums[4]).as("the total column").isEqualTo(sums[0] + sums[1] + sums[2] + sums[3]);
        return new Totals(sums[0], sums[1], sums[2], sums[3]);
    }

    /** The body rows of the table with this id; none when the page has no such table. */
    private static List<String> rows(String page, String tableId) {
        Matcher table = Pattern.compile("<table id=\"" + tableId + "\"[^>]*>(.*?)</table>", Pattern.DOTALL)
                .matcher(page);
        List<String> rows = new ArrayList<>();
        if (table.find()) {
            String body = table.group(1).substring(table.group(1).indexOf("<tbody>"));
            Matcher row = Pattern.compile("<tr>(.*?)</tr>", Pattern.DOTALL).matcher(body);
            while (row.find()) {
                rows.add(row.group(1));
            }
        }
        return rows;
    }

    private static String link(String page, String id) {
        return match(page, "href=\"([^\"]+)\"[^>]*id=\"" + id + "\"").replace("&amp;", "&");
    }

    private static String match(String text, String regex) {
        Matcher matcher = Pattern.compile(regex, Pattern.DOTALL).matcher(text);
        assertThat(matcher.find()).as(regex).isTrue();
        return matcher.group(1);
    }
}
