package dev.mercato.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mercato.support.ApiTestSupport;
import dev.mercato.support.ServerProcesses;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Clients that send request bodies a byte at a time, without credentials, against a server process of the built jar
 * (allowing 3 requests in progress per address): they hold at most 3 of its workers, further requests from their
 * address are refused at once with 429, and the server keeps answering everyone else, its health checks included.
 */
class SlowClientsIT extends ApiTestSupport {

    @Autowired
    DataSource dataSource;

    private ServerProcesses servers;
    private final List<Socket> slow = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (Socket socket : slow) {
            socket.close();
        }
        if (servers != null) {
            servers.stopAll();
        }
    }

    @Test
    void slowBodiesFromOneAddressHoldOnlyItsShareOfTheServer() throws Exception {
        servers = new ServerProcesses(dataSource);
        int port = servers.start("slow-clients", Map.of("MERCATO_HTTP_MAX_CONCURRENT_REQUESTS_PER_ADDRESS", "3"))
                .port();
        for (int i = 0; i < 3; i++) {
            Socket socket = connect("127.0.0.1", port);
            socket.getOutputStream()
                    .write(("POST /oauth/token HTTP/1.1\r\nHost: localhost\r\n"
                                    + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n"
                                    + "grant_type=")
                            .getBytes(StandardCharsets.US_ASCII));
            slow.add(socket);
        }

        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> get("127.0.0.1", port, "/health").startsWith("HTTP/1.1 429"));
        String refused = get("127.0.0.1", port, "/v2/products");
        assertThat(refused)
                .startsWith("HTTP/1.1 429")
                .contains("Retry-After: 1")
                .contains("TOO_MANY_CONCURRENT_REQUESTS");

        assertThat(get("127.0.0.2", port, "/health/readiness")).startsWith("HTTP/1.1 200");
        assertThat(get("127.0.0.2", port, "/v2/products")).startsWith("HTTP/1.1 401");

        for (Socket socket : slow) {
            socket.close();
        }
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> get("127.0.0.1", port, "/health").startsWith("HTTP/1.1 200"));
    }

    /** A socket to the server from this local address (any 127.x address reaches the loopback interface). */
    private static Socket connect(String from, int port) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
        socket.setSoTimeout(10_000);
        return socket;
    }

    /** A GET from this local address; the whole answer, status line first. */
    private static String get(String from, int port, String path) throws IOException {
        try (Socket socket = connect(from, port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
