package dev.mercato.integrations;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Integrations ({@code mercato.integrations.*}).
 *
 * @param encryptionKey base64 of 32 random bytes (openssl rand -base64 32): the AES-256-GCM key that encrypts
 *     integration secrets in the database; empty, a key is generated once into integrations.key in the data
 *     directory. Several servers on one database must all be given the same key
 * @param allowPrivateTargets let the push, SMS and SMTP destinations set through the API reach loopback, private,
 *     link-local and other non-public addresses (off: see {@link TargetGuard}). Destinations given by server
 *     configuration are the operator's and always allowed
 */
@ConfigurationProperties("mercato.integrations")
record IntegrationsProperties(
        @DefaultValue("") String encryptionKey,
        @DefaultValue("false") boolean allowPrivateTargets) {}
