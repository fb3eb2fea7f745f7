package dev.mercato.integrations;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Integrations ({@code mercato.integrations.*}).
 *
 * @param encryptionKey the former name of {@code mercato.encryption-key}, still read (see
 *     {@link dev.mercato.crypto.SecretBox})
 * @param allowPrivateTargets let the push, SMS and SMTP destinations set through the API reach loopback, private,
 *     link-local and other non-public addresses (off: see {@link TargetGuard}). Destinations given by server
 *     configuration are the operator's and always allowed
 */
@ConfigurationProperties("mercato.integrations")
record IntegrationsProperties(
        @DefaultValue("") String encryptionKey,
        @DefaultValue("false") boolean allowPrivateTargets) {}
