package dev.mercato.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A local HTTP server (WireMock on 127.0.0.1) that receives the webhooks the tests subscribe, started once per test
 * run like {@link TestProviders}. The shared test server allows private targets, so it delivers here; tests keep
 * apart by subscribing paths of their own.
 */
public final class WebhookReceiver {

    public static final WireMockServer SERVER =
            new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));

    private static final Pattern SIGNATURE = Pattern.compile("t=(\\d+),v1=([0-9a-f]{64})");

    static {
        SERVER.start();
        Runtime.getRuntime().addShutdownHook(new Thread(SERVER::stop));
    }

    private WebhookReceiver() {}

    /**
     * Whether the delivery was signed with {@code secret}, checked by the documented recipe: HMAC-SHA256 over
     * {@code "<t>.<raw body>"} with the secret, compared with {@code v1}, {@code t} recent.
     */
    public static boolean signedWith(LoggedRequest request, String secret) throws GeneralSecurityException {
        Matcher signature = SIGNATURE.matcher(request.getHeader("Mercato-Signature"));
        assertThat(signature.matches())
                .as(request.getHeader("Mercato-Signature"))
                .isTrue();
        long t = Long.parseLong(signature.group(1));
        assertThat(Math.abs(Instant.now().getEpochSecond() - t)).isLessThanOrEqualTo(300);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] expected = mac.doFinal(
                (t + "." + new String(request.getBody(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
        return MessageDigest.isEqual(expected, HexFormat.of().parseHex(signature.group(2)));
    }
}
