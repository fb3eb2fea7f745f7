package dev.mercato.integrations;

import dev.mercato.shared.DomainException;
import dev.mercato.shared.InvalidRequestException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;
import javax.net.SocketFactory;

/**
 * Keeps the server's outbound connections that a caller can aim (webhook URLs, and the push, SMS and SMTP
 * destinations set through the integrations API) on the public internet: such a destination is refused when it
 * is set, and never connected to, when its host resolves to a loopback, private (RFC 1918, fc00::/7), link-local
 * (169.254/16 with cloud metadata services, fe80::/10), unspecified, shared (100.64/10), multicast or reserved
 * address. A host is checked as a whole: one such address among its addresses refuses it. The check at connection
 * time resolves the name once and connects to exactly the addresses it checked, so a name that changes its answer
 * between the two (DNS rebinding) gains nothing. Each feature has its opt-in setting that turns the guard off
 * ({@link #OPEN}), for servers whose receivers live on a private network.
 */
public final class TargetGuard {

    public static final int MAX_URL_LENGTH = 2048;

    /** Lets every address through: for destinations the operator configured, and the opt-in settings. */
    public static final TargetGuard OPEN = new TargetGuard(true);

    private final boolean allowPrivate;

    public TargetGuard(boolean allowPrivate) {
        this.allowPrivate = allowPrivate;
    }

    /** A host whose addresses include one that may not be reached. */
    public static final class ForbiddenAddressException extends UnknownHostException {

        ForbiddenAddressException(String host) {
            super("'" + host + "' resolves to a loopback, private, link-local or otherwise non-public address");
        }
    }

    /**
     * Checks a destination URL: absolute http(s), no credentials, no fragment, a host that resolves to allowed
     * addresses; else 400 naming {@code field}.
     */
    public URI checkUrl(String field, String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw invalid(field, "The '" + field + "' is not a valid URL: " + e.getReason() + ".");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw invalid(field, "The '" + field + "' must be an absolute http or https URL with a host.");
        }
        if (uri.getRawUserInfo() != null) {
            throw invalid(field, "The '" + field + "' must not carry credentials in the URL.");
        }
        if (uri.getRawFragment() != null) {
            throw invalid(field, "The '" + field + "' must not have a fragment.");
        }
        checkHost(field, uri.getHost());
        return uri;
    }

    /** Checks a destination host name or address literal; else 400 naming {@code field}. */
    public void checkHost(String field, String host) {
        try {
            resolve(host);
        } catch (ForbiddenAddressException e) {
            throw invalid(
                    field, "The '" + field + "' may not point at the server's own network: " + e.getMessage() + ".");
        } catch (UnknownHostException e) {
            throw invalid(field, "The host of the '" + field + "' does not resolve: '" + host + "'.");
        }
    }

    /** The addresses of {@code host}, every one of them allowed; the only addresses a connection may use. */
    public InetAddress[] resolve(String host) throws UnknownHostException {
        InetAddress[] addresses = InetAddress.getAllByName(host);
        for (InetAddress address : addresses) {
            check(host, address);
        }
        return addresses;
    }

    /** Refuses {@code address}, which {@code host} resolved to, unless it may be reached. */
    void check(String host, InetAddress address) throws ForbiddenAddressException {
        if (!allowPrivate && !isPublic(address)) {
            throw new ForbiddenAddressException(host);
        }
    }

    /**
     * Plain sockets that connect only to an address this guard allows, whatever resolved it: for clients that
     * take a socket factory (Jakarta Mail). TLS is layered over them as usual.
     */
    public SocketFactory socketFactory() {
        return new GuardedSocketFactory(this);
    }

    /** Whether {@code address} is a public unicast address. */
    public static boolean isPublic(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (address instanceof Inet6Address) {
            byte[] embedded = embeddedIpv4(bytes);
            if (embedded != null) {
                try {
                    return isPublic(InetAddress.getByAddress(embedded));
                } catch (UnknownHostException e) {
                    throw new IllegalStateException(e); // four bytes are always an address
                }
            }
        }
        if (address.isAnyLocalAddress()
                || address.isLoopbackAddress()
                || address.isLinkLocalAddress()
                || address.isSiteLocalAddress()
                || address.isMulticastAddress()) {
            return false;
        }
        if (bytes.length == 4) {
            int a = bytes[0] & 0xff;
            int b = bytes[1] & 0xff;
            int c = bytes[2] & 0xff;
            boolean reserved = a == 0 // "this network"
                    || (a == 100 && (b & 0xc0) == 64) // shared address space (carrier-grade NAT), 100.64/10
                    || (a == 192 && b == 0 && c == 0) // IETF protocol assignments
                    || (a == 198 && (b & 0xfe) == 18) // benchmarking, 198.18/15
                    || a >= 240; // reserved, and the broadcast address
            return !reserved;
        }
        return (bytes[0] & 0xfe) != 0xfc; // unique local addresses, fc00::/7
    }

    /**
     * The IPv4 address inside an IPv6 one that carries it (IPv4-compatible ::a.b.c.d, IPv4-mapped ::ffff:a.b.c.d,
     * NAT64 64:ff9b::/96, 6to4 2002::/16), or null: such an address reaches the IPv4 one.
     */
    private static byte[] embeddedIpv4(byte[] v6) {
        boolean zeroPrefix = Arrays.equals(v6, 0, 10, new byte[10], 0, 10);
        if (zeroPrefix && ((v6[10] == 0 && v6[11] == 0) || (v6[10] == (byte) 0xff && v6[11] == (byte) 0xff))) {
            return Arrays.copyOfRange(v6, 12, 16);
        }
        if (v6[0] == 0
                && v6[1] == 0x64
                && v6[2] == (byte) 0xff
                && v6[3] == (byte) 0x9b
                && Arrays.equals(v6, 4, 12, new byte[8], 0, 8)) {
            return Arrays.copyOfRange(v6, 12, 16);
        }
        if (v6[0] == 0x20 && v6[1] == 0x02) {
            return Arrays.copyOfRange(v6, 2, 6);
        }
        return null;
    }

    private static DomainException invalid(String field, String message) {
        return InvalidRequestException.parameter(field, message, field + " (string)");
    }
}
