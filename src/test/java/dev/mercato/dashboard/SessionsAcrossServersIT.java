package dev.mercato.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mercato.support.ApiTestSupport;
import dev.mercato.support.DashboardSession;
import dev.mercato.support.ServerProcesses;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Behind a load balancer a browser's requests reach any server: a dashboard session started on one server is valid
 * on another (sessions live in PostgreSQL), and signing out on one ends it on all.
 */
class SessionsAcrossServersIT extends ApiTestSupport {

    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @Autowired
    DataSource dataSource;

    @Test
    void aSessionStartedOnOneServerIsValidOnAnotherUntilSignedOut() throws Exception {
        try (ServerProcesses servers = new ServerProcesses(dataSource)) {
            ServerProcesses.Server other = servers.start("sessions", Map.of());
            DashboardSession browser = dashboard().signedIn("admin", ADMIN_PASSWORD);
            String session = browser.sessionId();

            HttpResponse<String> there = page(other, session);
            assertThat(there.statusCode()).isEqualTo(200);
            assertThat(there.body()).contains("You are the admin");

            HttpResponse<String> home = browser.get("/dashboard");
            browser.post("/dashboard/logout", "_csrf", DashboardSession.csrf(home.body()));
            HttpResponse<String> afterSignOut = page(other, session);
            assertThat(afterSignOut.statusCode()).isEqualTo(302);
            assertThat(afterSignOut.headers().firstValue("Location").orElseThrow())
                    .endsWith("/dashboard/login");
        }
    }

    private static HttpResponse<String> page(ServerProcesses.Server server, String session) throws Exception {
        return CLIENT.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + "/dashboard"))
                        .header("Cookie", "JSESSIONID=" + session)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
