package dev.mercato.auth;

import dev.mercato.shared.Ids;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * API keys look like {@code mk_<32 random base62><6 base62 CRC32 checksum>}: recognisable in logs and by
 * secret scanners, about 190 bits of entropy, and a typo is rejected without touching the database. Only a
 * SHA-256 hash is stored: the key has far too much entropy for a brute force to matter, so no slow hash
 * is needed on this per-request path.
 */
final class ApiKeyFormat {

    static final String PREFIX = "mk_";
    private static final int RANDOM_LENGTH = 32;
    private static final int CHECKSUM_LENGTH = 6;
    private static final Pattern GENERATED =
            Pattern.compile("mk_[0-9A-Za-z]{" + (RANDOM_LENGTH + CHECKSUM_LENGTH) + "}");
    /** Any key an operator chooses for the bootstrap admin: 32 or more URL-safe characters. */
    static final Pattern ACCEPTABLE = Pattern.compile("[A-Za-z0-9_-]{32,256}");

    private ApiKeyFormat() {}

    static String generate() {
        String random = Ids.randomBase62(RANDOM_LENGTH);
        return PREFIX + random + checksum(random);
    }

    /** Whether a token could be an API key at all (JWTs contain dots, so they never match). */
    static boolean looksLikeKey(String token) {
        return ACCEPTABLE.matcher(token).matches();
    }

    /** A generated key whose checksum does not match is a typo or a forgery. */
    static boolean hasValidChecksum(String token) {
        if (!GENERATED.matcher(token).matches()) {
            return !token.startsWith(PREFIX);
        }
        String random = token.substring(PREFIX.length(), PREFIX.length() + RANDOM_LENGTH);
        return token.endsWith(checksum(random));
    }

    static byte[] hash(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** The first characters of a key, safe to show in listings so a person can tell keys apart. */
    static String displayPrefix(String key) {
        return key.substring(0, Math.min(key.length(), 10));
    }

    private static String checksum(String random) {
        CRC32 crc = new CRC32();
        crc.update(random.getBytes(StandardCharsets.US_ASCII));
        return Ids.base62(crc.getValue(), CHECKSUM_LENGTH);
    }
}
