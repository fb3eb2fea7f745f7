package dev.mercato.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The dashboard as a browser without JavaScript uses it, over HTTP with a cookie jar: pages, forms with their CSRF
 * token, redirects seen (not followed). {@code session.signIn("admin", password)}, then {@code get} and
 * {@code submit}.
 */
public final class DashboardSession {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    private final String base;
    private final CookieManager cookies = new CookieManager();
    private final HttpClient client;

    public DashboardSession(int port) {
        this.base = "http://localhost:" + port;
        this.client = HttpClient.newBuilder()
                .cookieHandler(cookies)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** Signs in through the form; the response is the redirect that ends it (to the dashboard, or back with ?error). */
    public HttpResponse<String> signIn(String username, String password) {
        return submit("/dashboard/login", "/dashboard/login", "username", username, "password", password);
    }

    /** Signs in and fails the test unless it worked. */
    public DashboardSession signedIn(String username, String password) {
        HttpResponse<String> response = signIn(username, password);
        assertThat(response.headers().firstValue("Location").orElse(""))
                .as("signed in as " + username)
                .endsWith("/dashboard");
        return this;
    }

    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).build());
    }

    /**
     * Posts a form as the page at {@code formPage} would: with that page's CSRF token and these (name, value) pairs,
     * a name given more than once for a multi-valued field.
     */
    public HttpResponse<String> submit(String formPage, String action, String... namesAndValues) {
        List<String> fields = new ArrayList<>(List.of(namesAndValues));
        fields.add("_csrf");
        fields.add(csrf(get(formPage).body()));
        return post(action, fields.toArray(String[]::new));
    }

    /** Posts these (name, value) pairs as they are, without adding a CSRF token. */
    public HttpResponse<String> post(String action, String... namesAndValues) {
        List<String> pairs = new ArrayList<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            pairs.add(encode(namesAndValues[i]) + "=" + encode(namesAndValues[i + 1]));
        }
        return send(HttpRequest.newBuilder(URI.create(base + action))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(pairs.stream().collect(Collectors.joining("&"))))
                .build());
    }

    /** The session cookie's value, or null before there is a session. */
    public String sessionId() {
        return cookies.getCookieStore().getCookies().stream()
                .filter(cookie -> cookie.getName().equals("JSESSIONID"))
                .map(HttpCookie::getValue)
                .findFirst()
                .orElse(null);
    }

    public static String csrf(String page) {
        Matcher matcher = CSRF.matcher(page);
        assertThat(matcher.find()).as("a CSRF token in " + page).isTrue();
        return matcher.group(1);
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
