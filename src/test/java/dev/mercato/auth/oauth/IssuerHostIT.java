package dev.mercato.auth.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mercato.support.ApiTestSupport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The test server has no configured issuer: the OAuth endpoints and the sign-in page answer only requests
 * addressed to a loopback host, so a client cannot make its own {@code Host} the issuer of tokens, the metadata's
 * URLs or a redirect target.
 */
class IssuerHostIT extends ApiTestSupport {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "GET /.well-known/oauth-authorization-server",
                "GET /.well-known/openid-configuration",
                "GET /oauth/jwks",
                "GET /oauth/authorize?response_type=code&client_id=cli_x",
                "GET /login",
                "POST /oauth/token"
            })
    void anotherHostIsRefusedWithTheSettingToMake(String request) throws IOException {
        String answer = send(request, "shop.example.com");

        assertThat(answer).startsWith("HTTP/1.1 421").contains("\"error\":\"invalid_request\"");
        assertThat(answer).contains("mercato.oauth.issuer").doesNotContain("http://shop.example.com/oauth");
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "127.0.0.1", "[::1]", "127.1.2.3", "app.localhost"})
    void loopbackHostsAreServedWithTheirOwnIssuer(String host) throws IOException {
        String answer = send("GET /.well-known/oauth-authorization-server", host + ":" + port());

        assertThat(answer).startsWith("HTTP/1.1 200").contains("\"issuer\":\"http://" + host + ":" + port() + "\"");
    }

    @Test
    void theApiItselfIsNotAffected() throws IOException {
        assertThat(send("GET /v2/products", "shop.example.com")).startsWith("HTTP/1.1 401");
        assertThat(send("GET /health/readiness", "shop.example.com")).startsWith("HTTP/1.1 200");
    }

    private int port() {
        return URI.create(api.base()).getPort();
    }

    /** A request line with the given Host, sent as is; the whole answer, status line first. */
    private String send(String request, String host) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port()), 5_000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            String body = request.startsWith("POST") ? "grant_type=client_credentials" : "";
            out.write((request + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n"
                            + (body.isEmpty()
                                    ? ""
                                    : "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: "
                                            + body.length() + "\r\n")
                            + "\r\n" + body)
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
