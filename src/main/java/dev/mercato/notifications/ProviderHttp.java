package dev.mercato.notifications;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/** Calls to the HTTP providers (SMS, push), with timeouts, and what their answers mean for a retry. */
final class ProviderHttp {

    private static final int MAX_ERROR_BODY = 300;

    private final HttpClient client;
    private final Duration timeout;

    ProviderHttp(Duration timeout) {
        this.timeout = timeout;
        this.client = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    HttpRequest.Builder request(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(timeout);
    }

    /**
     * Sends the request; returns when the provider answered 2xx. A 4xx other than 408 and 429 is the provider
     * refusing this message for good; anything else is worth another attempt.
     */
    void send(HttpRequest request, String provider) throws DeliveryException {
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new DeliveryException(provider + " did not answer within " + timeout.toSeconds() + " s", e);
        } catch (IOException e) {
            throw new DeliveryException(provider + " could not be reached: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryException(provider + ": interrupted", e);
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return;
        }
        String body = response.body() == null ? "" : response.body().strip();
        String error = provider + " answered " + status
                + (body.isEmpty() ? "" : ": " + body.substring(0, Math.min(MAX_ERROR_BODY, body.length())));
        boolean permanent = status >= 400 && status < 500 && status != 408 && status != 429;
        throw new DeliveryException(error, permanent);
    }
}
