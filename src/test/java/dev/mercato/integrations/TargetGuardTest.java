package dev.mercato.integrations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mercato.shared.InvalidRequestException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import javax.net.SocketFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The SSRF guard: which addresses webhooks and integrations may reach, when set and at every connection. */
class TargetGuardTest {

    private final TargetGuard guard = new TargetGuard(false);

    @ParameterizedTest
    @ValueSource(
            strings = {
                "127.0.0.1",
                "127.1.2.3",
                "10.0.0.1",
                "172.16.0.1",
                "172.31.255.254",
                "192.168.1.1",
                "169.254.169.254",
                "169.254.0.1",
                "0.0.0.0",
                "0.1.2.3",
                "100.64.0.1",
                "100.127.255.254",
                "224.0.0.1",
                "239.255.255.250",
                "255.255.255.255",
                "240.0.0.1",
                "198.18.0.1",
                "192.0.0.8",
                "::1",
                "::",
                "fd00::1",
                "fc00::1",
                "fe80::1",
                "fec0::1",
                "ff02::1",
                "::ffff:127.0.0.1",
                "::ffff:10.0.0.1",
                "::ffff:169.254.169.254",
                "::127.0.0.1",
                "64:ff9b::a00:1",
                "2002:c0a8:101::1"
            })
    void nonPublicAddressesAreRefused(String literal) throws UnknownHostException {
        assertThat(TargetGuard.isPublic(InetAddress.getByName(literal)))
                .as(literal)
                .isFalse();
        assertThatThrownBy(() -> guard.resolve(literal))
                .isInstanceOf(TargetGuard.ForbiddenAddressException.class)
                .hasMessageContaining("non-public address");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "93.184.216.34",
                "8.8.8.8",
                "1.1.1.1",
                "100.63.255.255",
                "100.128.0.1",
                "172.32.0.1",
                "192.169.0.1",
                "2606:2800:220:1:248:1893:25c8:1946",
                "2001:4860:4860::8888",
                "::ffff:93.184.216.34",
                "64:ff9b::808:808"
            })
    void publicAddressesAreAllowed(String literal) throws UnknownHostException {
        assertThat(TargetGuard.isPublic(InetAddress.getByName(literal)))
                .as(literal)
                .isTrue();
        assertThat(guard.resolve(literal)).containsExactly(InetAddress.getByName(literal));
    }

    @Test
    void decimalAndHexSpellingsOfLoopbackAreRefusedToo() {
        // Resolution turns odd spellings into the address itself, and the address is what is checked.
        assertThatThrownBy(() -> guard.resolve("2130706433")).isInstanceOf(UnknownHostException.class);
        assertThatThrownBy(() -> guard.checkUrl("url", "http://2130706433:8080/hook"))
                .isInstanceOf(InvalidRequestException.class);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://127.0.0.1:8080/hook",
                "http://localhost/hook",
                "https://10.0.0.1/",
                "http://[::1]:9000/",
                "http://169.254.169.254/latest/meta-data/",
                "http://[fd00::1]/",
                "http://192.168.1.1/",
                "http://100.64.0.1/",
                "http://0.0.0.0:8080/"
            })
    void subscriptionUrlsOnTheServersOwnNetworkAnswer400(String url) {
        assertThatThrownBy(() -> guard.checkUrl("url", url))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.code()).isEqualTo("INVALID_PARAMETER");
                    assertThat(e.details()).isEqualTo("url (string)");
                    assertThat(e.getMessage()).contains("non-public address");
                });
    }

    @Test
    void aPublicAddressIsAccepted() {
        assertThat(guard.checkUrl("url", "https://93.184.216.34/hooks?x=1").getHost())
                .isEqualTo("93.184.216.34");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "ftp://93.184.216.34/",
                "/relative/path",
                "93.184.216.34/hook",
                "https:///nohost",
                "http://user:pass@93.184.216.34/",
                "http://93.184.216.34/#fragment",
                "http://exa mple.com/",
                "javascript:alert(1)"
            })
    void notAnAbsoluteHttpUrlAnswers400(String url) {
        assertThatThrownBy(() -> guard.checkUrl("url", url))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.details()).isEqualTo("url (string)");
                });
    }

    @Test
    void allowingPrivateTargetsLetsLoopbackThrough() throws UnknownHostException {
        TargetGuard allowing = new TargetGuard(true);
        assertThat(allowing.checkUrl("url", "http://127.0.0.1:8080/hook").getPort())
                .isEqualTo(8080);
        assertThat(allowing.resolve("10.0.0.1")).containsExactly(InetAddress.getByName("10.0.0.1"));
    }

    @Test
    void socketsOfTheGuardConnectOnlyWhereItAllows() throws Exception {
        try (ServerSocket listening = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = listening.getLocalPort();
            SocketFactory guarded = guard.socketFactory();

            // Jakarta Mail's way: an unconnected socket, connected to an address resolved from the host name.
            try (Socket socket = guarded.createSocket()) {
                assertThatThrownBy(() -> socket.connect(new InetSocketAddress("localhost", port), 1000))
                        .isInstanceOf(TargetGuard.ForbiddenAddressException.class);
                assertThat(socket.isConnected()).isFalse();
            }
            assertThatThrownBy(() -> guarded.createSocket("127.0.0.1", port))
                    .isInstanceOf(TargetGuard.ForbiddenAddressException.class);
            assertThatThrownBy(() -> guarded.createSocket(InetAddress.getLoopbackAddress(), port))
                    .isInstanceOf(TargetGuard.ForbiddenAddressException.class);

            try (Socket socket = TargetGuard.OPEN.socketFactory().createSocket("localhost", port)) {
                assertThat(socket.isConnected()).isTrue();
            }
        }
    }
}
