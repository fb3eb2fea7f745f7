package dev.mercato.notifications;

import dev.mercato.integrations.OutboundHttp;
import dev.mercato.integrations.TargetGuard;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls to the HTTP providers (SMS, push) through the {@link OutboundHttp} client of the guard their settings
 * carry, with timeouts, and what their answers mean for a retry. What a provider answered is not passed on: the
 * error recorded (and shown to API callers) is its status or a classified reason, the body only goes to the
 * server's log at debug level.
 */
final class ProviderHttp {

    static final String USER_AGENT = "Mercato-Notifications/1";
    private static final Logger log = LoggerFactory.getLogger(ProviderHttp.class);
    private static final int MAX_LOGGED_BODY = 300;

    private final Duration timeout;
    private final Map<TargetGuard, CloseableHttpClient> clients = new ConcurrentHashMap<>();

    ProviderHttp(Duration timeout) {
        this.timeout = timeout;
    }

    /**
     * POSTs {@code body}; returns when the provider answered 2xx. A 4xx other than 408 and 429 is the provider
     * refusing this message for good, as is a destination the guard refuses; anything else is worth another
     * attempt.
     */
    void post(URI uri, Map<String, String> headers, String contentType, String body, TargetGuard guard, String provider)
            throws DeliveryException {
        HttpPost post = new HttpPost(uri);
        headers.forEach(post::setHeader);
        post.setEntity(new ByteArrayEntity(body.getBytes(StandardCharsets.UTF_8), ContentType.parse(contentType)));
        Answer answer;
        try {
            CloseableHttpClient client =
                    clients.computeIfAbsent(guard, policy -> OutboundHttp.client(policy, timeout, USER_AGENT));
            answer = client.execute(
                    post,
                    response -> new Answer(
                            response.getCode(),
                            response.getEntity() == null
                                    ? ""
                                    : EntityUtils.toString(response.getEntity(), MAX_LOGGED_BODY)));
        } catch (IOException e) {
            throw ProviderErrors.unreachable(provider, e, timeout);
        }
        int status = answer.status();
        if (status >= 200 && status < 300) {
            return;
        }
        log.debug("{} answered {}: {}", provider, status, answer.body());
        boolean permanent = status >= 400 && status < 500 && status != 408 && status != 429;
        throw new DeliveryException(provider + " answered HTTP " + status + ".", permanent);
    }

    private record Answer(int status, String body) {}
}
