package dev.mercato.payments;

import io.swagger.v3.oas.annotations.Hidden;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * Where Stripe sends its events (the endpoint configured in Stripe's dashboard). Not part of either API version: no
 * credential, the body's signature instead ({@link StripeEvents}).
 */
@Hidden
@RestController
class StripeWebhookController {

    static final String PATH = "/webhooks/stripe";

    private final StripeEvents events;

    StripeWebhookController(StripeEvents events) {
        this.events = events;
    }

    /** 200 for every event taken, acted on or not (Stripe retries anything else for days). */
    @PostMapping(path = PATH, produces = "application/json")
    ResponseEntity<Map<String, Object>> receive(
            @RequestBody String payload, @RequestHeader(name = "Stripe-Signature", required = false) String signature) {
        boolean acted = events.receive(payload, signature);
        return ResponseEntity.ok(Map.of("received", true, "duplicate", !acted));
    }
}
