package dev.mercato.crypto;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Cryptography ({@code mercato.crypto.*}), read by {@link NativeCryptoProvider} before the application's beans exist.
 *
 * @param nativeProvider use AWS-LC (Amazon Corretto Crypto Provider) for signatures, digests and random numbers
 *     where its native library loads; else, or when false, the JDK's providers
 */
@ConfigurationProperties(CryptoProperties.PREFIX)
record CryptoProperties(@DefaultValue("true") boolean nativeProvider) {

    static final String PREFIX = "mercato.crypto";
}
