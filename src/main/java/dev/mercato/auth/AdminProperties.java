package dev.mercato.auth;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The bootstrap administrator ({@code mercato.admin.*}).
 *
 * @param apiKey the bootstrap admin API key created on the first start with an empty database: 32 to 256 URL-safe
 *     characters (A-Z a-z 0-9 - _); empty, one is generated and printed once. Ignored once a bootstrap key exists
 */
@ConfigurationProperties("mercato.admin")
record AdminProperties(@DefaultValue("") String apiKey) {}
