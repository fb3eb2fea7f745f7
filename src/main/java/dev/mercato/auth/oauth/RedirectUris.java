package dev.mercato.auth.oauth;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * Redirect URIs a client may register: absolute, without a fragment (RFC 6749 3.1.2), https, or plain http
 * only to a loopback address for apps on the user's own machine (RFC 8252 7.3). No commas: Spring stores the
 * list comma-separated.
 */
final class RedirectUris {

    private RedirectUris() {}

    static void check(String value) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw OAuthClientService.invalidRedirectUri(value, "it is not a URI.");
        }
        if (!uri.isAbsolute() || uri.getHost() == null) {
            throw OAuthClientService.invalidRedirectUri(value, "it must be an absolute URI with a host.");
        }
        if (uri.getRawFragment() != null || value.contains(",")) {
            throw OAuthClientService.invalidRedirectUri(value, "it must not contain a fragment or a comma.");
        }
        String scheme = uri.getScheme().toLowerCase();
        if (!scheme.equals("https") && !(scheme.equals("http") && isLoopback(uri.getHost()))) {
            throw OAuthClientService.invalidRedirectUri(value, "use https (plain http only to a loopback address).");
        }
    }

    private static boolean isLoopback(String host) {
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (bare.equalsIgnoreCase("localhost")) {
            return true;
        }
        // Address literals only (an IPv6 one has a colon; "cafe" is a name, and names are never resolved here).
        if (!bare.matches("[0-9]+(\\.[0-9]+){3}|[0-9a-fA-F]*:[0-9a-fA-F:.]*")) {
            return false;
        }
        try {
            return InetAddress.getByName(bare).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }
}
