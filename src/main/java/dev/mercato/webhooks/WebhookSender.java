package dev.mercato.webhooks;

import dev.mercato.integrations.OutboundHttp;
import dev.mercato.integrations.TargetGuard;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.io.Closer;

/**
 * POSTs webhook bodies with the {@link OutboundHttp} client: only to addresses the {@link TargetGuard} allows,
 * never following a redirect (a 3xx is a failed attempt), each wait and the whole attempt bounded.
 */
final class WebhookSender implements AutoCloseable {

    static final String USER_AGENT = "Mercato-Webhooks/1";
    private static final int MAX_ERROR_BODY = 300;
    private static final ContentType JSON = ContentType.create("application/json");
    private static final ScheduledExecutorService DEADLINES = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "webhook-deadlines");
        thread.setDaemon(true);
        return thread;
    });

    /** What one attempt came to: {@code statusCode} is absent when no answer came. */
    record Outcome(boolean succeeded, Integer statusCode, String error) {}

    private final CloseableHttpClient client;
    private final Duration timeout;

    WebhookSender(TargetGuard guard, Duration timeout) {
        this.timeout = timeout;
        this.client = OutboundHttp.client(guard, timeout, USER_AGENT);
    }

    Outcome post(String url, Map<String, String> headers, String body) {
        HttpPost post = new HttpPost(URI.create(url));
        headers.forEach(post::setHeader);
        post.setEntity(new ByteArrayEntity(body.getBytes(StandardCharsets.UTF_8), JSON));
        // The timeouts bound each wait; this bounds the whole attempt, so a receiver trickling bytes cannot hold it.
        ScheduledFuture<?> deadline =
                DEADLINES.schedule(post::cancel, timeout.multipliedBy(2).toMillis(), TimeUnit.MILLISECONDS);
        ClassicHttpResponse response = null;
        try {
            response = client.executeOpen(null, post, null);
            int status = response.getCode();
            String answer = head(response.getEntity(), post);
            if (status >= 200 && status < 300) {
                return new Outcome(true, status, null);
            }
            if (status >= 300 && status < 400) {
                String location = response.getFirstHeader("Location") == null
                        ? ""
                        : " to " + response.getFirstHeader("Location").getValue();
                return new Outcome(
                        false, status, "The receiver answered " + status + location + "; redirects are not followed.");
            }
            return new Outcome(
                    false, status, "The receiver answered " + status + (answer.isEmpty() ? "." : ": " + answer));
        } catch (TargetGuard.ForbiddenAddressException e) {
            return new Outcome(false, null, "Refused: " + e.getMessage() + ".");
        } catch (UnknownHostException e) {
            return new Outcome(false, null, "The receiver's host does not resolve: " + e.getMessage() + ".");
        } catch (SocketTimeoutException e) {
            return new Outcome(false, null, "The receiver did not answer within " + timeout.toMillis() + " ms.");
        } catch (IOException | RuntimeException e) {
            if (post.isCancelled()) {
                return new Outcome(
                        false,
                        null,
                        "The receiver took longer than "
                                + timeout.multipliedBy(2).toMillis() + " ms in all.");
            }
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            return new Outcome(false, null, "The receiver could not be reached: " + e + ".");
        } finally {
            deadline.cancel(false);
            Closer.closeQuietly(response);
        }
    }

    /**
     * The start of an answer's body, for the error. A longer body is not read on: the connection is dropped
     * instead (closing would read it to its end); a short one leaves the connection free for the next delivery.
     */
    private static String head(HttpEntity entity, HttpPost request) throws IOException {
        if (entity == null) {
            return "";
        }
        InputStream in = entity.getContent();
        byte[] head = in.readNBytes(MAX_ERROR_BODY);
        if (head.length == MAX_ERROR_BODY && in.read() != -1) {
            request.cancel();
        }
        return new String(head, StandardCharsets.UTF_8).strip();
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
