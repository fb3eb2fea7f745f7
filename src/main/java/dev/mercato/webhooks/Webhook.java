package dev.mercato.webhooks;

import java.time.Instant;
import java.util.List;

/**
 * A subscription: {@code url} receives the events of the listed types ({@code *}: all of them), each signed with
 * {@code secret}, which only the response that creates it shows (a subscription read back has none: null).
 */
public record Webhook(String id, String url, List<String> events, String secret, String createdBy, Instant createdAt) {}
