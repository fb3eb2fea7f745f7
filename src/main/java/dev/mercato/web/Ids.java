package dev.mercato.web;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * Opaque, random, URL-safe identifiers with a type prefix ({@code prod_4fK9...}): 24 base62 characters,
 * about 143 bits of randomness, so ids are neither sequential nor guessable.
 */
public final class Ids {

    private static final char[] ALPHABET =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    /**
     * One generator per thread: a shared SecureRandom serialises every request on its lock (measured as
     * the main contention under load). Each is a DRBG seeded from the operating system.
     */
    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(Ids::newGenerator);
    private static final int LENGTH = 24;

    private Ids() {
    }

    public static String generate(String prefix) {
        return prefix + "_" + randomBase62(LENGTH);
    }

    public static String randomBase62(int length) {
        SecureRandom random = RANDOM.get();
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return new String(out);
    }

    private static SecureRandom newGenerator() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }

    public static String base62(long value, int width) {
        char[] out = new char[width];
        long rest = value;
        for (int i = width - 1; i >= 0; i--) {
            out[i] = ALPHABET[(int) (rest % ALPHABET.length)];
            rest /= ALPHABET.length;
        }
        return new String(out);
    }
}
